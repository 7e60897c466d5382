"""Reading a real server's event stream as a client that may be cut off: the snapshots it got,
and how it ended. (Starting servers, ports and processes: tests/support.py.)"""

from dataclasses import dataclass, field

import httpx

from tests.support import (  # re-exported: the fault and deployment tests import them from here
    HOST,
    ROOT,
    descendants,
    free_port,
    healthz,
    iter_events,
    serve,
    status,
    stop,
    wait_until_up,
)

__all__ = [
    "HOST", "ROOT", "Stream", "descendants", "free_port", "healthz", "read_stream", "serve",
    "status", "stop", "wait_until_up",
]  # fmt: skip


@dataclass
class Stream:
    """What one connection received: snapshot (id, data) pairs, and how it ended."""

    snapshots: list[tuple[str, str]] = field(default_factory=list)
    done: str | None = None

    @property
    def last_id(self) -> str | None:
        return self.snapshots[-1][0] if self.snapshots else None


def read_stream(
    url: str,
    headers: dict | None = None,
    until: int | None = None,
    received: Stream | None = None,
) -> Stream:
    """Read an event stream until it ends (or `until` snapshots); a cut connection just ends it."""
    out = received or Stream()
    try:
        with httpx.stream("GET", url, headers=headers, timeout=30) as response:
            assert response.status_code == 200, response.read()
            for event in iter_events(response.iter_lines()):
                if event.event == "done":
                    out.done = event.data
                elif event.event == "snapshot":
                    out.snapshots.append((event.id, event.data))
                    if until is not None and len(out.snapshots) >= until:
                        return out
    except (httpx.RemoteProtocolError, httpx.ReadError):
        pass  # the server went away mid-stream
    return out
