"""Both class stores keep the same contract, each against its real server (SQLite's file, a real
redis-server): rooms, entries, the roster summed over live processes, messages between them."""

import asyncio
from collections.abc import Callable, Iterator

import pytest

from app.classroom.redis_store import RedisStore
from app.classroom.sqlite_store import SQLiteStore
from app.classroom.store import Message, Room
from tests.support import redis_server, run_async


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "redis"])
def make_store(request, tmp_path) -> Callable[[], object]:
    """A maker of stores that share one backing (two makes: two processes of one deployment)."""
    if request.param == "sqlite":
        return lambda: SQLiteStore(tmp_path / "classes.sqlite3")
    url = request.getfixturevalue("redis_url")
    return lambda: RedisStore(url, keep_s=3600)


def test_two_processes_share_rooms_entries_roster_and_messages(make_store):
    async def scenario() -> None:
        one, two = make_store(), make_store()
        await one.start()
        await two.start()
        try:
            code = "K7Q" + type(one).__name__[:3].upper()
            room = Room(code, "hash", 1.0, 2.0, None, {"seq": 0}, None)
            assert await one.create_room(room)
            assert not await two.create_room(room)  # the code is taken
            await one.save_state(code, {"seq": 1}, 3.0)
            seen = await two.room(code)
            assert (seen.state, seen.moved_at, seen.ended_at) == ({"seq": 1}, 3.0, None)
            await two.set_challenge(code, {"id": "c1"})
            first = await one.add_entry(code, {"challenge_id": "c1", "status": "queued"})
            second = await two.add_entry(code, {"challenge_id": "c1", "status": "queued"})
            assert (first["id"], second["id"]) == (1, 2)
            await one.update_entry(code, 1, {"status": "measured", "measured": {"acc_test": 1}})
            entries = await two.entries(code, "c1")
            assert [e["status"] for e in entries] == ["measured", "queued"]
            pending = [(c, e["id"]) for c, e in await one.pending_entries() if c == code]
            assert pending == [(code, 2)]
            # each process's counts, summed; a process that stops counts no more
            await one.set_roster(code, 3, 2)
            await two.set_roster(code, 1, 0)
            assert await one.roster(code) == (4, 2, 3, 2)
            assert await two.roster(code) == (4, 2, 1, 0)
            # a message reaches the other process, never its sender
            heard_by_two, heard_by_one = [], []

            async def hear(store, into):
                async for message in store.listen():
                    into.append(message)

            listeners = [
                asyncio.create_task(hear(two, heard_by_two)),
                asyncio.create_task(hear(one, heard_by_one)),
            ]
            await asyncio.sleep(0.5)  # subscribed
            await one.publish(Message(code, "state", {"seq": 1}))
            for _ in range(100):
                if heard_by_two:
                    break
                await asyncio.sleep(0.05)
            assert heard_by_two == [Message(code, "state", {"seq": 1})]
            assert heard_by_one == []
            for task in listeners:
                task.cancel()
            await asyncio.gather(*listeners, return_exceptions=True)
            await one.end_room(code, 9.0)
            assert (await two.room(code)).ended_at == 9.0
        finally:
            await one.close()
        assert (await two.roster(code))[:2] == (1, 0)
        await two.close()

    run_async(scenario())  # a Playwright session may hold the main thread's loop
