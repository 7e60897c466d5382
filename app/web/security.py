"""Security headers on every response, and request-size limits, as one plain ASGI middleware.

Plain ASGI (not BaseHTTPMiddleware) so streamed responses pass through untouched. Plotly
injects <style> elements and sets inline styles, hence style-src 'unsafe-inline'; no script
is inline, so script-src is 'self' alone. The app sets no cookies.
"""

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings


def content_security_policy(frame_ancestors: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_url_bytes = settings.max_url_bytes
        self.max_body_bytes = settings.max_body_bytes
        self.headers = [
            (
                b"content-security-policy",
                content_security_policy(settings.frame_ancestors).encode(),
            ),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0].lower() != b"set-cookie"),
                    *self.headers,
                ]
            await send(message)

        target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
        if target > self.max_url_bytes:
            response = PlainTextResponse(
                f"URL too long: at most {self.max_url_bytes} bytes", status_code=414
            )
            await response(scope, receive, send_with_headers)
            return
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_body_bytes:
            response = PlainTextResponse(
                f"request body too large: at most {self.max_body_bytes} bytes", status_code=413
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
