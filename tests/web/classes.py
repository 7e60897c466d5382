"""What the class tests share: an app of their own (its own data directory), and a class's
event stream read on a thread, to wait for what it receives."""

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.support import Event, iter_events


class Follower:
    """One student's (or teacher's) event stream, read on a thread as it arrives."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.url = url
        self.received: list[tuple[float, Event]] = []
        self.status: int | None = None
        self.ended = False
        self._changed = threading.Condition()
        self._client = httpx.Client(timeout=httpx.Timeout(10, read=120))
        self._thread = threading.Thread(target=self._read, args=(headers or {},), daemon=True)
        self._thread.start()

    def _read(self, headers: dict[str, str]) -> None:
        try:
            with self._client.stream("GET", self.url, headers=headers) as response:
                self._tell(lambda: setattr(self, "status", response.status_code))
                if response.status_code != 200:
                    response.read()
                    self.body = response.text
                    return
                for event in iter_events(response.iter_lines()):
                    self._tell(lambda event=event: self.received.append((time.monotonic(), event)))
        except (httpx.HTTPError, RuntimeError):
            pass  # closed by us, or the server went away
        finally:
            self._tell(lambda: setattr(self, "ended", True))

    def _tell(self, change: Callable[[], None]) -> None:
        with self._changed:
            change()
            self._changed.notify_all()

    def wait_status(self, timeout: float = 60) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.status is not None or self.ended, timeout)
        assert self.status is not None, f"{self.url}: no answer"
        return self.status

    def wait_ended(self, timeout: float = 60) -> None:
        """Until the server has closed the stream."""
        with self._changed:
            assert self._changed.wait_for(lambda: self.ended, timeout), f"{self.url}: still open"

    def wait_for(
        self, kind: str, predicate: Callable[[Any], bool] = lambda data: True, timeout: float = 60
    ) -> tuple[float, Any]:
        """(arrival time, data) of the first `kind` event whose data satisfies `predicate`."""

        def found() -> tuple[float, Any] | None:
            for at, event in self.received:
                if event.event == kind and predicate(event.json()):
                    return at, event.json()
            return None

        with self._changed:
            self._changed.wait_for(lambda: found() is not None or self.ended, timeout)
            result = found()
        assert result is not None, f"no {kind} event matching within {timeout} s: {self.kinds()}"
        return result

    def kinds(self) -> list[str]:
        return [event.event for _, event in self.received]

    def close(self) -> None:
        self._client.close()
        self._thread.join(10)
