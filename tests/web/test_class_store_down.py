"""The class store stops answering mid-life (Redis goes away): every class request is a 503
with Retry-After and a sentence, /join says so in the student's language, and the rest of the
server (pages, snapshots, /healthz) goes on. Never a 500."""

import contextlib

import httpx
import redis

from tests.support import redis_server
from tests.web.test_class_follow import QUICK, server


def shut_down(url: str) -> None:
    """Stop the redis-server at `url` now, keeping nothing (its connection closes as it goes)."""
    with contextlib.suppress(redis.exceptions.ConnectionError):
        redis.Redis.from_url(url).shutdown(nosave=True)


def test_a_store_that_stops_answering_is_a_503_not_a_500(tmp_path):
    with redis_server() as redis_url, server(tmp_path, redis_url=redis_url) as base:
        started = httpx.post(f"{base}/api/class", json={}).json()
        code, lead = started["code"], {"X-Class-Key": started["key"]}
        assert httpx.get(f"{base}/api/class/{code}").status_code == 200
        shut_down(redis_url)  # while the replica lives on
        calls = [
            httpx.get(f"{base}/api/class/{code}"),
            httpx.post(f"{base}/api/class/{code}/state", json={"stage": "1.W"}, headers=lead),
            httpx.get(f"{base}/api/class/{code}/board"),
            httpx.post(f"{base}/api/class", json={}),
        ]
        for answer in calls:
            assert answer.status_code == 503, (answer.request.url, answer.text)
            assert "Retry-After" in answer.headers and "unavailable" in answer.text
        page = httpx.get(f"{base}/join/{code}?lang=zh-CN")
        assert page.status_code == 503 and "暂时无法使用课堂功能" in page.text
        # the rest of the server is unaffected
        assert httpx.get(f"{base}/healthz").status_code == 200
        snapshot = httpx.get(f"{base}/api/snapshot", params={**QUICK, "step": 0})
        assert snapshot.status_code == 200
