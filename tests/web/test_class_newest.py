"""A screen that opens while the class plays starts near the teacher's newest snapshot: the
`state` a stream opens with has `newest` moved on by what the teacher's stream played since."""

from app.classroom.models import as_of, first_state, with_query

T = 1_000_000.0


def playing(newest: int | None, **changes) -> dict:
    state = with_query(first_state())
    state.update(playing=True, step=None, newest=newest, every=5, rate=4.0, moved_at=T)
    return {**state, **changes}


def test_newest_moves_on_at_the_streams_pace():
    state = playing(100)
    assert as_of(state, T)["newest"] == 100
    assert as_of(state, T + 0.2)["newest"] == 100  # less than a snapshot's time: none played
    assert as_of(state, T + 2.6)["newest"] == 100 + 10 * 5  # 4 a second for 2.6 s: 10 snapshots
    assert state["newest"] == 100  # the kept state is not changed


def test_newest_stops_at_the_runs_last_step():
    state = playing(1990, config={**first_state()["config"], "steps": 2000})
    assert as_of(state, T + 60)["newest"] == 2000


def test_a_paused_or_scrubbed_class_or_an_old_one_is_as_it_was():
    for state in (
        playing(100, playing=False),
        playing(100, step=40),  # the teacher's timeline holds a step: that is what screens show
        playing(None),  # a class made before `newest` existed, or a teacher with no snapshot
    ):
        assert as_of(state, T + 30) == state
    skewed = playing(100)
    assert as_of(skewed, T - 5)["newest"] == 100  # a clock that went back plays nothing
