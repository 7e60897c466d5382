"""Shared fixtures: one app with its process pool for the session, and an event-stream parser
that reads the wire the way a browser does (refusing NaN and Infinity like JSON.parse)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.finite import all_finite, browser_json


@dataclass
class Event:
    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    def json(self) -> Any:
        """The data as JSON, refusing NaN and Infinity as a browser's JSON.parse would."""

        value = browser_json(self.data)
        assert all_finite(value)
        return value


def parse(lines: list[str]) -> list[Event]:
    """Events (and comment-only blocks, as Event(event='comment')) in order."""
    events, current, seen = [], Event(), False
    for line in lines:
        if line == "":
            if seen:
                events.append(current)
            current, seen = Event(), False
            continue
        seen = True
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "":
            current.comments.append(value)
            if current.event == "message" and not current.data:
                current.event = "comment"
        elif name == "event":
            current.event = value
        elif name == "data":
            current.data = f"{current.data}\n{value}" if current.data else value
        elif name == "id":
            current.id = value
        elif name == "retry":
            current.retry = int(value)
    if seen:
        events.append(current)
    return events


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
