"""Logging that cannot flood: a repeated message is written at most once per interval.

With every file descriptor taken, asyncio's accept loop reports "socket.accept() out of system
resource" each time it retries — thousands of lines a second, hundreds of megabytes a minute.
The filter lets the first through and then one per interval saying how many it held back.
(Each failed accept also leaves a retry timer behind; at shutdown they all fire on the closed
socket, each an "Exception in callback" traceback: held back the same way.)
"""

import logging
import resource
import time

INTERVAL_S = 10.0
KEY_CHARACTERS = 60


class OncePerInterval(logging.Filter):
    def __init__(self, interval: float = INTERVAL_S) -> None:
        super().__init__()
        self.interval = interval
        self.last: dict[str, float] = {}
        self.held: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        # by the message's start: asyncio's "Exception in callback <handle …>" differs in its end
        key = f"{record.name}:{str(record.msg)[:KEY_CHARACTERS]}"
        now = time.monotonic()
        if now - self.last.get(key, -self.interval) < self.interval:
            self.held[key] = self.held.get(key, 0) + 1
            return False
        self.last[key] = now
        held = self.held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} (and {held} more like it in the last {self.interval:g} s)"
        return True


def quiet_floods(*names: str) -> None:
    """Put one OncePerInterval filter on each named logger (once, however often called)."""
    for name in names or ("asyncio", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, OncePerInterval) for f in logger.filters):
            logger.addFilter(OncePerInterval())


def raise_descriptor_limit() -> int:
    """Raise this process's open-file limit to the hard limit (each stream is a descriptor);
    return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft
