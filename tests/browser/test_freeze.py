"""The page keeps answering when the network changes while the opening animation plays: the
layers play by themselves on `/`, and a reader opens the lessons, picks a preset or types a
smaller net at some moment of that pass (issue 22, item 1: the queued target stage outlived
the net it belonged to and the move loop spun for good)."""

import pytest
from playwright.sync_api import Error as PlaywrightError

# the default net (8 layers, 25 stages) plays from the input; each action changes the net
ACTIONS = {
    "one hidden layer": lambda page: (
        page.fill('[data-field="layers"]', "1"),
        page.dispatch_event('[data-field="layers"]', "change"),
    ),
    "the xor preset": lambda page: page.select_option("[data-presets]", "xor"),
    "the lessons": lambda page: page.click("[data-lesson-open]"),
}
MOMENTS = [2, 9, 17]  # the stage the opening pass has reached when the reader acts


def answers(page, timeout: float = 20000) -> bool:
    """Whether the page runs a script and draws a frame within `timeout` ms."""
    try:
        page.wait_for_function(
            "() => new Promise((resolve) => requestAnimationFrame(() => resolve(true)))",
            timeout=timeout,
        )
    except PlaywrightError:
        return False
    return True


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_page_answers_after_the_net_changes_during_the_opening_pass(watched, action, moment):
    page = watched.page
    watched.open()
    # the pass has reached stage `moment` (a tween may be on its way further)
    page.wait_for_function(
        "(k) => Number(document.querySelector('[data-stage-slider]').value) >= k",
        arg=moment,
        timeout=120000,
    )
    ACTIONS[action](page)
    for _ in range(3):  # just after, and while the new run's first snapshots arrive
        assert answers(page), f"the page froze after {action} at stage {moment}"
        page.wait_for_timeout(300)
    # the new net is drawn; a lesson shows its step's stage, not where the old pass was going
    page.wait_for_function(
        "() => document.querySelector('[data-view=warp]').dataset.step !== undefined"
        " && Number(document.querySelector('[data-stage-slider]').max) < 24",
        timeout=60000,
    )
    if action == "the lessons":
        watched.wait_drawn(stage="1.W", timeout=60000)
        page.wait_for_timeout(1500)  # a stale queued move would tween on from here
        watched.wait_drawn(stage="1.W")
    assert watched.errors == []
