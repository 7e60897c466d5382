"""HEAD answers wherever GET does: uptime monitors and link checkers use it.

FastAPI registers a route for the methods it names, so `@router.get` gives HEAD a 405. This
middleware runs a HEAD request as a GET and passes on only the status and headers; once they
are sent the app is stopped (an event stream would otherwise run on with nobody reading).
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadSent(Exception):
    """Raised inside the app's send() once a HEAD response's headers have gone out."""


class HeadMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message: Message) -> None:
            nonlocal finished
            if finished:
                raise HeadSent
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body":
                # the server writes no body for HEAD; this only ends the response
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                finished = True

        async def disconnect_once_sent() -> Message:
            return {"type": "http.disconnect"} if finished else await receive()

        try:
            await self.app({**scope, "method": "GET"}, disconnect_once_sent, headers_only)
        except* HeadSent:  # from a streamed response, perhaps inside a task group
            pass
