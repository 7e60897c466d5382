"""Every response is bounded in time, whether or not its client reads, and a client that leaves
costs one line of log.

A stream checks LAYERWARP_STREAM_SECONDS between sends, but a client that stops reading blocks
the send itself: the socket's buffers fill and the server waits for them forever, holding the
stream's place. Here each send may wait at most LAYERWARP_SEND_TIMEOUT_S (and a stream's never
past its time limit plus a second); then the connection is dropped. Whatever the app raises
after its client went (a broken stream inside FastAPI's event-stream machinery) is logged as one
line, not a traceback.

This wraps the whole app, outside Starlette's error middleware, so `send` is the server's own:
dropping the connection goes through the server's transport (uvicorn's), and the server then
sees a disconnect, which it does not log.
"""

import asyncio
import logging
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STREAM_PATHS = ("/api/stream",)
CLASS_STREAM = re.compile(r"/api/class/[^/]+/events")  # a class's event stream
GRACE_SECONDS = 1.0  # past the time limit, the stream's own `done` has had its chance
RECOUNT_SECONDS = 0.02  # the bytes held are summed over every stream at most this often

log = logging.getLogger("uvicorn.error")


class ClientStalled(Exception):
    """A send waited longer than the send timeout and the connection could not be dropped."""


class SendBudget:
    """The bytes streams hold for clients that have not read them: what waits in each
    connection's transport, and each event being handed to the server. A client that does not
    read keeps its last event in the transport (the server copies it there); LAYERWARP_SEND_
    BUFFER_MB bounds the sum, and once it is full, a stream that holds more than its share
    (the budget over the streams) is dropped before it is given another event. A client that
    keeps up holds nothing."""

    def __init__(self, max_bytes: float) -> None:
        self.max_bytes = max_bytes
        self.transports: set[Any] = set()
        self.pending = 0  # bytes of events handed to the server's send, not yet returned
        self._total = 0
        self._counted_at = -RECOUNT_SECONDS

    def held(self) -> int:
        now = time.monotonic()
        if now - self._counted_at >= RECOUNT_SECONDS:
            self._total = sum(transport.get_write_buffer_size() for transport in self.transports)
            self._counted_at = now
        return self._total + self.pending

    def over(self, transport: Any, size: int) -> int:
        """The unread bytes of a stream that must be dropped rather than sent `size` more (it
        holds more than its share of a full budget), or 0."""
        unread = transport.get_write_buffer_size()
        share = self.max_bytes / max(1, len(self.transports))
        if unread > share and self.held() + size > self.max_bytes:
            return unread
        return 0


class SendGuard:
    def __init__(
        self,
        app: ASGIApp,
        send_timeout_s: float,
        stream_seconds: float,
        send_buffer_bytes: float = float("inf"),
    ) -> None:
        self.app = app
        self.send_timeout_s = send_timeout_s
        self.stream_seconds = stream_seconds
        self.budget = SendBudget(send_buffer_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = None
        transport = None
        if is_stream(scope["path"]):
            deadline = loop.time() + self.stream_seconds + GRACE_SECONDS
            transport = _transport(send)
        gone: str | None = None
        budget = self.budget

        async def guarded_send(message: Message) -> None:
            nonlocal gone
            timeout = self.send_timeout_s
            size = 0
            if deadline is not None:
                timeout = max(min(timeout, deadline - loop.time()), 0.001)
                if transport is not None and message["type"] == "http.response.body":
                    size = len(message.get("body", b""))
                    unread = budget.over(transport, size)
                    if unread:
                        gone = gone or f"left {unread / 1e6:.1f} MB unread, send buffer full"
                        drop(send)
                        return
                    budget.transports.add(transport)
            budget.pending += size
            try:
                await asyncio.wait_for(send(message), timeout)
            except TimeoutError:
                gone = gone or f"stopped reading for {timeout:.0f} s"
                if not drop(send):
                    raise ClientStalled(gone) from None
            except OSError as error:
                gone = gone or f"connection error: {error}"
                raise
            finally:
                budget.pending -= size

        async def watched_receive() -> Message:
            nonlocal gone
            message = await receive()
            if message["type"] == "http.disconnect":
                gone = gone or "disconnected"
            return message

        try:
            await self.app(scope, watched_receive, guarded_send)
        except Exception as error:
            if gone is None:
                raise
            # one line: what broke inside the app once its client went is of no interest
            log.info("%s %s: client %s (%s)", scope["method"], scope["path"], gone, _name(error))
            return
        finally:
            budget.transports.discard(transport)
        if gone is not None and gone != "disconnected":
            log.info("%s %s: client %s; dropped", scope["method"], scope["path"], gone)


def is_stream(path: str) -> bool:
    """Whether `path` is an event stream: bounded by LAYERWARP_STREAM_SECONDS and the send
    budget rather than by one send's timeout only."""
    return path in STREAM_PATHS or CLASS_STREAM.fullmatch(path) is not None


def _transport(send: Send) -> Any:
    """The connection's transport, if the server lets us reach it (uvicorn's send is a method
    of its request cycle, which holds the transport)."""
    return getattr(getattr(send, "__self__", None), "transport", None)


def drop(send: Send) -> bool:
    """Close the connection under a blocked send, if the server lets us reach it. The server
    then sees a disconnect: the blocked send returns and the app's disconnect listener fires."""
    transport = _transport(send)
    if transport is None:
        return False
    transport.abort()
    return True


def _name(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return ", ".join(sorted({_name(e) for e in error.exceptions}))
    return type(error).__name__
