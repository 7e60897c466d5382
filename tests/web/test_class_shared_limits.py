"""With Redis, the limits are the deployment's, not each replica's: an address that spreads its
tries over replicas meets one limit, and a class's seats are counted over every replica (a real
redis-server, two stores; two replicas)."""

import asyncio
import time

import httpx

from app.classroom.redis_store import RedisStore
from tests.support import redis_server, run_async
from tests.web.classes import Follower
from tests.web.test_class_follow import server


def test_two_processes_share_one_limit_and_none_takes_past_it():
    async def scenario(url: str) -> None:
        one, two = RedisStore(url, keep_s=60), RedisStore(url, keep_s=60)
        await one.start()
        await two.start()
        try:
            limits = [one.rate_limit("joins", 3, 60), two.rate_limit("joins", 3, 60)]
            # ten at once, spread over both: exactly three pass
            waits = await asyncio.gather(*(limits[i % 2].take("10.0.0.1") for i in range(10)))
            assert sum(wait is None for wait in waits) == 3
            assert all(0 < wait <= 60 for wait in waits if wait is not None)
            assert 0 < await limits[1].retry_after("10.0.0.1") <= 60
            assert await limits[0].take("10.0.0.2") is None  # another address: its own
            # counted events (wrong codes) count even past the limit, on either process
            misses = [one.rate_limit("misses", 2, 3600), two.rate_limit("misses", 2, 3600)]
            await misses[0].count("10.0.0.3")
            assert await misses[1].retry_after("10.0.0.3") is None
            await misses[1].count("10.0.0.3")
            assert await misses[0].retry_after("10.0.0.3") > 3500
            # a limit of another name is another limit
            assert await one.rate_limit("submissions", 3, 60).take("10.0.0.1") is None
        finally:
            await one.close()
            await two.close()

    with redis_server() as url:
        run_async(scenario(url))


def test_wrong_codes_spread_over_two_replicas_meet_one_limit(tmp_path):
    with (
        redis_server() as redis_url,
        server(tmp_path / "a", redis_url=redis_url, class_misses_per_hour=3) as replica_a,
        server(tmp_path / "b", redis_url=redis_url, class_misses_per_hour=3) as replica_b,
    ):
        code = httpx.post(f"{replica_a}/api/class", json={}).json()["code"]
        assert httpx.get(f"{replica_a}/api/class/ZZZZZZ").status_code == 404
        assert httpx.get(f"{replica_b}/api/class/ZZZZZY").status_code == 404
        assert httpx.get(f"{replica_a}/join/ZZZZZX").status_code == 404
        for replica in (replica_b, replica_a):
            walked = httpx.get(f"{replica}/api/class/ZZZZZW")
            assert walked.status_code == 429 and int(walked.headers["retry-after"]) > 0
            assert httpx.get(f"{replica}/api/class/{code}").status_code == 429  # even a right one
            assert httpx.get(f"{replica}/join/{code}").status_code == 429


def test_a_class_full_across_two_replicas_admits_exactly_its_cap(tmp_path):
    """Five students at once, split over two replicas, into a class of three: three seats, on
    whichever replica; the others 409. Seats come back when their students leave."""
    with (
        redis_server() as redis_url,
        server(tmp_path / "a", redis_url=redis_url, class_max_students=3) as replica_a,
        server(tmp_path / "b", redis_url=redis_url, class_max_students=3) as replica_b,
    ):
        code = httpx.post(f"{replica_a}/api/class", json={}).json()["code"]
        replicas = [replica_a, replica_b]
        students = [Follower(f"{replicas[i % 2]}/api/class/{code}/events") for i in range(5)]
        try:
            statuses = sorted(student.wait_status() for student in students)
            assert statuses == [200, 200, 200, 409, 409]
            refused = next(s for s in students if s.status == 409)
            assert "3 students already" in refused.body
            admitted = [s for s in students if s.status == 200]
            for student in admitted:
                student.wait_for("state")
            for replica in replicas:  # still full, on either
                assert httpx.get(f"{replica}/api/class/{code}/events").status_code == 409
            for student in admitted:
                student.close()
            back = []
            for i in range(3):
                deadline = time.monotonic() + 60
                while True:  # a seat is given back just after its stream ends
                    student = Follower(f"{replicas[i % 2]}/api/class/{code}/events")
                    back.append(student)
                    if student.wait_status() == 200:
                        break
                    assert time.monotonic() < deadline, "the seats did not come back"
                    time.sleep(0.1)
            assert httpx.get(f"{replica_b}/api/class/{code}/events").status_code == 409
            for student in back:
                student.close()
        finally:
            for student in students:
                student.close()
