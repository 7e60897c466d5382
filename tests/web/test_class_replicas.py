"""Two replicas and a real Redis serve one class: the teacher on one, a student on the other."""

import httpx

from tests.support import redis_server
from tests.web.classes import Follower
from tests.web.test_class_follow import QUICK, server


def test_a_move_on_one_replica_reaches_a_student_on_the_other(tmp_path):
    with (
        redis_server() as redis_url,
        server(tmp_path / "a", redis_url=redis_url) as replica_a,
        server(tmp_path / "b", redis_url=redis_url) as replica_b,
    ):
        started = httpx.post(f"{replica_a}/api/class", json={}).json()
        code, lead = started["code"], {"X-Class-Key": started["key"]}
        teacher = Follower(f"{replica_a}/api/class/{code}/events?role=teacher", headers=lead)
        student = Follower(f"{replica_b}/api/class/{code}/events")
        try:
            assert student.wait_status() == 200 and teacher.wait_status() == 200
            # the class is the same on both: B knows it, and counts its student for A's teacher
            teacher.wait_for("roster", lambda roster: roster == {"joined": 1, "following": 1})
            moved = httpx.post(
                f"{replica_a}/api/class/{code}/state",
                json={"config": QUICK, "stage": "1.b", "mode": "explore"},
                headers=lead,
            ).json()
            _, state = student.wait_for("state", lambda state: state["seq"] == moved["seq"])
            assert state == moved
            # B refuses a lead without the key, as A does
            forged = httpx.post(f"{replica_b}/api/class/{code}/state", json={"stage": "1.W"})
            assert forged.status_code == 403
            # a challenge set on A, a submission on B: measured on B, on A's board and stream
            challenge = {"data": {"dataset": "xor", "points": 200}, "goal": 0.9}
            httpx.put(f"{replica_a}/api/class/{code}/challenge", json=challenge, headers=lead)
            student.wait_for("challenge", lambda challenge: challenge is not None)
            entry = {"config": QUICK, "nickname": "Ada"}
            assert (
                httpx.post(f"{replica_b}/api/class/{code}/submissions", json=entry).status_code
                == 202
            )
            teacher.wait_for(
                "board",
                lambda board: board["entries"] and board["entries"][0]["status"] == "measured",
                timeout=120,
            )
            board_a = httpx.get(f"{replica_a}/api/class/{code}/board").json()
            assert board_a == httpx.get(f"{replica_b}/api/class/{code}/board").json()
            assert board_a["entries"][0]["rank"] == 1
            # the student leaves B: A's teacher sees it
            student.close()
            teacher.wait_for("roster", lambda roster: roster == {"joined": 0, "following": 0})
            assert httpx.delete(f"{replica_a}/api/class/{code}", headers=lead).status_code == 204
            assert httpx.get(f"{replica_b}/api/class/{code}").status_code == 410
        finally:
            teacher.close()
            student.close()
