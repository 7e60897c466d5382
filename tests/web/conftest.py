"""Shared fixtures: one app with its process pool for the session, and an event-stream parser
that reads the wire the way a browser does (refusing NaN and Infinity like JSON.parse)."""

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.support import Event, parse


def named(events: list[Event], kind: str) -> list[Event]:
    return [e for e in events if e.event == kind]


SETTINGS = Settings(compute_processes=2, frame_ancestors="'self' https://school.example")


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(SETTINGS)) as test_client:
        yield test_client


def read_stream(client: TestClient, query: str, headers: dict | None = None) -> list[Event]:
    """The whole stream (it ends with `done`)."""
    with client.stream("GET", f"/api/stream?{query}", headers=headers or {}) as response:
        assert response.status_code == 200, response.read()
        return parse(list(response.iter_lines()))


@pytest.fixture(scope="session")
def stream(client: TestClient) -> Callable[..., list[Event]]:
    return lambda query, headers=None: read_stream(client, query, headers)
