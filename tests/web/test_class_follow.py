"""A class on a real server: a teacher leads three students' event streams (moves, explore and
bring back, the roster, the end), and the class and its board outlive a restart (SQLite)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support import HOST, free_port, serve, stop, wait_until_up
from tests.web.classes import Follower

QUICK = {"dataset": "xor", "points": 200, "layers": 1, "width": 3, "steps": 200}


@contextmanager
def server(data_dir: Path, **settings) -> Iterator[str]:
    port = free_port()
    process = serve(port, quiet=False, data_dir=data_dir, **settings)
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, process=process)
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Iterator[str]:
    with server(tmp_path_factory.mktemp("classes")) as url:
        yield url


def test_three_students_follow_the_teacher_explore_and_come_back(base):
    started = httpx.post(f"{base}/api/class", json={})
    code, key = started.json()["code"], started.json()["key"]
    lead = {"X-Class-Key": key}
    events = f"{base}/api/class/{code}/events"
    teacher = Follower(f"{events}?role=teacher", headers=lead)
    students = [Follower(events), Follower(events), Follower(f"{events}?following=0")]
    try:
        for stream in [teacher, *students]:
            assert stream.wait_status() == 200
            stream.wait_for("state", lambda state: state["seq"] == 0)
            assert stream.received[0][1].event == "hello" and stream.received[0][1].retry == 2000
        # the teacher hears who is there: three joined, two following
        teacher.wait_for("roster", lambda roster: roster == {"joined": 3, "following": 2})
        moved = httpx.post(
            f"{base}/api/class/{code}/state",
            json={"config": QUICK, "stage": "1.act", "trace": 12, "playing": False},
            headers=lead,
        ).json()
        for student in students:
            _, state = student.wait_for("state", lambda state: state["seq"] == moved["seq"])
            assert state == moved
            assert state["query"] == moved["query"] and "layers=1" in state["query"]
        httpx.post(f"{base}/api/class/{code}/state", json={"mode": "explore"}, headers=lead)
        for student in students:
            student.wait_for("state", lambda state: state["mode"] == "explore")
        back = httpx.post(f"{base}/api/class/{code}/state", json={"mode": "follow"}, headers=lead)
        back_seq = back.json()["seq"]
        for student in students:
            student.wait_for("state", lambda state: state["seq"] == back_seq)
        # a student leaves: the teacher's count follows
        students[0].close()
        teacher.wait_for("roster", lambda roster: roster == {"joined": 2, "following": 1})
        # a student cannot lead, even from the stream
        forged = Follower(f"{events}?role=teacher", headers={"X-Class-Key": "forged"})
        assert forged.wait_status() == 403
        assert httpx.delete(f"{base}/api/class/{code}", headers=lead).status_code == 204
        for stream in [teacher, *students[1:]]:
            _, ended = stream.wait_for("ended")
            assert ended == {"reason": "ended"}
    finally:
        for stream in [teacher, *students]:
            stream.close()


def test_a_stream_opened_while_the_class_plays_starts_near_the_teachers_newest(base):
    started = httpx.post(f"{base}/api/class", json={}).json()
    code, lead = started["code"], {"X-Class-Key": started["key"]}
    bad = httpx.post(f"{base}/api/class/{code}/state", json={"newest": -1}, headers=lead)
    assert bad.status_code == 422 and "newest" in bad.text
    move = {"config": {**QUICK, "steps": 20000}, "every": 5, "rate": 10, "playing": True}
    moved = httpx.post(
        f"{base}/api/class/{code}/state", json={**move, "newest": 40}, headers=lead
    ).json()
    assert moved["newest"] == 40
    late = Follower(f"{base}/api/class/{code}/events")
    try:
        _, state = late.wait_for("state")
        # the teacher's stream went on at 10 snapshots of 5 steps a second since the move
        elapsed = state["newest"] - 40
        assert elapsed % 5 == 0 and 0 <= elapsed <= 50 * 30
        assert {**state, "newest": 40} == moved
    finally:
        late.close()
    paused = httpx.post(
        f"{base}/api/class/{code}/state", json={"playing": False, "step": 40}, headers=lead
    ).json()
    later = Follower(f"{base}/api/class/{code}/events")
    try:
        assert later.wait_for("state")[1] == paused  # paused: what the teacher shows, as it is
    finally:
        later.close()


def test_a_class_and_its_board_outlive_a_restart(tmp_path):
    with server(tmp_path) as first:
        started = httpx.post(f"{first}/api/class", json={}).json()
        code, key = started["code"], started["key"]
        lead = {"X-Class-Key": key}
        httpx.post(f"{first}/api/class/{code}/state", json={"stage": "1.W"}, headers=lead)
        challenge = {"data": {"dataset": "xor", "points": 200}, "goal": 0.9}
        httpx.put(f"{first}/api/class/{code}/challenge", json=challenge, headers=lead)
        entry = {"config": QUICK, "nickname": "Ada"}
        assert httpx.post(f"{first}/api/class/{code}/submissions", json=entry).status_code == 202
        student = Follower(f"{first}/api/class/{code}/events")
        try:
            _, board = student.wait_for(
                "board", lambda board: board["entries"][0]["status"] == "measured", timeout=120
            )
        finally:
            student.close()
    with server(tmp_path) as second:
        again = httpx.get(f"{second}/api/class/{code}/board").json()
        assert again == board
        assert again["entries"][0]["rank"] == 1 and again["entries"][0]["nickname"] == "Ada"
        info = httpx.get(f"{second}/api/class/{code}", headers=lead).json()
        assert info["teacher"] is True and info["state"]["stage"] == "1.W"
        moved = httpx.post(
            f"{second}/api/class/{code}/state", json={"view": "curves"}, headers=lead
        )
        assert moved.status_code == 200 and moved.json()["seq"] == 2


def test_a_class_without_a_move_for_its_idle_time_expires(tmp_path):
    with server(tmp_path, class_idle_hours=2 / 3600) as base:  # two seconds
        started = httpx.post(f"{base}/api/class", json={}).json()
        code = started["code"]
        student = Follower(f"{base}/api/class/{code}/events")
        try:
            assert student.wait_status() == 200
            _, ended = student.wait_for("ended", timeout=30)
            assert ended == {"reason": "expired"}
        finally:
            student.close()
        gone = httpx.get(f"{base}/api/class/{code}")
        assert gone.status_code == 410 and gone.json()["reason"] == "expired"
        page = httpx.get(f"{base}/join/{code}", headers={"Accept-Language": "zh-CN"})
        assert page.status_code == 410 and "已过期" in page.text
