"""Security headers on every response, and the URL-length limit, as one plain ASGI middleware.

(Request bodies are counted in app.web.bodylimit.)

Plain ASGI (not BaseHTTPMiddleware) so streamed responses pass through untouched. Plotly
injects <style> elements and sets inline styles, hence style-src 'unsafe-inline'; no script
is inline, so script-src is 'self' alone (plotly.js 4 needs no eval). The app sets one cookie only:
the teacher's key, from `POST /api/class` (docs/classroom.md); any other Set-Cookie is dropped.

Public reads are open to any origin (`Access-Control-Allow-Origin: *` on GET and HEAD of the
assets, plotly.js and the API but the class's): a course platform that frames the embed with
`sandbox="allow-scripts"` gives it an opaque origin, and module scripts, `fetch` and EventSource
are then cross-origin requests, refused without that header (the frame stayed blank). Nothing
there carries a credential; the class's routes, which do (the teacher's cookie), get none, and
their browsers' requests stay same-origin.

Unrestricted framing (`LAYERWARP_FRAME_ANCESTORS=*`, the default) sends no frame-ancestors at all:
in Chromium `*` matches only network schemes, and no source list (not even `file: about: data:`)
matches an about:blank, srcdoc or sandboxed ancestor, so a teacher's offline slides (file://)
or a frame a host writes itself would be refused. A configured list is sent as it is.
"""

from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings

# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from a CDN and start it with an inline
# script; only those pages get a policy that allows it.
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")
DOCS_SOURCES = "https://cdn.jsdelivr.net"


UNRESTRICTED = "*"
CLASS_PATH = "/api/class"  # starting a class hands the teacher's key over as an HttpOnly cookie
PUBLIC_PREFIXES = ("/assets/", "/vendor/", "/api/")
ANY_ORIGIN = [(b"access-control-allow-origin", b"*")]
# a preflight: EventSource sends Last-Event-ID when it reconnects, which is not a simple header
PREFLIGHT = [
    *ANY_ORIGIN,
    (b"access-control-allow-methods", b"GET, HEAD"),
    (b"access-control-allow-headers", b"last-event-id"),
    (b"access-control-max-age", b"600"),
]


def public_read(path: str) -> bool:
    """Whether any origin may read `path` (see the module's docstring)."""
    in_class = path == CLASS_PATH or path.startswith(CLASS_PATH + "/")
    return path.startswith(PUBLIC_PREFIXES) and not in_class


def content_security_policy(frame_ancestors: str, docs: bool = False) -> str:
    cdn = f" {DOCS_SOURCES}" if docs else ""
    inline = " 'unsafe-inline'" if docs else ""
    images = " https:" if docs else ""
    framing = frame_ancestors.strip()
    directives = [
        "default-src 'self'",
        f"script-src 'self'{inline}{cdn}",
        f"style-src 'self' 'unsafe-inline'{cdn}",
        f"img-src 'self' data: blob:{images}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if framing != UNRESTRICTED:
        directives.append(f"frame-ancestors {framing}")
    return "; ".join(directives)


def relative(location: bytes) -> bytes:
    """A redirect's target as a path on this site. Starlette's trailing-slash redirect builds an
    absolute URL from the request's Host header, so a forged Host came back in Location (cache
    poisoning behind a proxy); and a path that starts with `//` would read as another host."""
    parts = urlsplit(location.decode("latin-1"))
    path = "/" + parts.path.lstrip("/")
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_url_bytes = settings.max_url_bytes
        common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
        policy = content_security_policy(settings.frame_ancestors)
        docs_policy = content_security_policy(settings.frame_ancestors, docs=True)
        self.headers = [(b"content-security-policy", policy.encode()), *common]
        self.docs_headers = [(b"content-security-policy", docs_policy.encode()), *common]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        path, method = scope["path"], scope["method"]
        added = self.docs_headers if path in DOCS_PATHS else self.headers
        cookies_allowed = path == CLASS_PATH and method == "POST"
        public = public_read(path)
        if public and method == "OPTIONS" and _asks_to_read(scope):
            await send({"type": "http.response.start", "status": 204,
                        "headers": PREFLIGHT + self.headers})  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return
        if public and method in ("GET", "HEAD"):
            added = added + ANY_ORIGIN

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (name, relative(value) if name.lower() == b"location" else value)
                    for name, value in message.get("headers", [])
                    if cookies_allowed or name.lower() != b"set-cookie"
                ] + added
            await send(message)

        query = scope["query_string"]
        # the request target as sent: path, then `?` and the query when there is one
        target = len(scope.get("raw_path") or scope["path"].encode()) + len(query) + bool(query)
        if target > self.max_url_bytes:
            response = PlainTextResponse(
                f"URL too long: at most {self.max_url_bytes} bytes", status_code=414
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _asks_to_read(scope: Scope) -> bool:
    """A CORS preflight for a GET or HEAD."""
    asked = dict(scope["headers"]).get(b"access-control-request-method", b"")
    return asked in (b"GET", b"HEAD")
