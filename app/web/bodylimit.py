"""Request bodies are counted as they arrive: a 413 at LAYERWARP_MAX_BODY_BYTES, nothing more read.

A Content-Length over the limit is refused before the app runs. A chunked body has no length to
check, so the bytes are counted message by message as the app reads them; at the limit the app
is stopped, the client gets a 413 with `Connection: close`, and the server drops the connection
instead of reading (and discarding) the rest of a body that may never end.
"""

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """Raised inside the app's receive() once the body passes the limit."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    def too_large(self) -> PlainTextResponse:
        return PlainTextResponse(
            f"request body too large: at most {self.max_body_bytes} bytes",
            status_code=413,
            headers={"Connection": "close"},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await self.too_large()(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:  # the app answered before it read the whole body: nothing to add
                return
            await self.too_large()(scope, receive, send)
