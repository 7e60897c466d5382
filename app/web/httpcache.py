"""Validators and cache lifetimes for answers that are pure functions of their URL.

Runs are deterministic, so `/api/snapshot?…`, `/api/export/…?…`, `/api/presets`,
`/api/lessons` and `/api/config?…` give the same bytes for the same URL as long as the app's
version is the same. Their strong ETag is therefore a hash of (version, path, query), known
before any work: a revalidation is answered 304 before the route runs (no replay, no training),
and an upgrade changes every tag, so an old copy is never confirmed by a new server.

Compression is Starlette's GZipMiddleware, placed inside this one: the gzipped representation is
a different sequence of bytes, so it gets its own tag (`…-gzip"`, as RFC 9110 asks of strong
validators), and `If-None-Match` matches either variant (the weak comparison the RFC prescribes
for it). The event stream is never compressed (GZipMiddleware excludes text/event-stream): each
event must leave the moment it is made.
"""

import hashlib
from collections.abc import Collection

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A day in browsers and shared caches. deploy/nginx.conf revalidates sooner, so across an
# upgrade nginx serves an old answer for minutes at most; a browser may keep one for the day.
CACHE_CONTROL = "public, max-age=86400"
GZIP_SUFFIX = "-gzip"


def entity_tag(version: str, path: str, query: bytes) -> str:
    """The strong validator of a pure answer: the version, then a hash of all three."""
    digest = hashlib.sha256(f"{version}\0{path}\0".encode() + query).hexdigest()[:24]
    return f'"{version}-{digest}"'


def gzip_tag(tag: str) -> str:
    """The tag of the gzipped representation of the answer tagged `tag`."""
    return tag[:-1] + GZIP_SUFFIX + '"'


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether `Accept-Encoding` allows gzip: named (or matched by `*`) with q > 0, as RFC 9110
    12.5.3 reads it (`gzip;q=0` refuses it)."""
    star = False
    for item in accept_encoding.split(","):
        coding, _, parameters = item.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        coding = coding.strip().lower()
        if coding in ("gzip", "x-gzip"):
            return weight > 0
        if coding == "*":
            star = weight > 0
    return star


class NegotiatedGZip(GZipMiddleware):
    """Starlette's GZipMiddleware looks for "gzip" anywhere in the header; here a request whose
    `Accept-Encoding` refuses gzip (`gzip;q=0`) reaches it, and the app, without one."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            accept = Headers(scope=scope).get("accept-encoding", "")
            if "gzip" in accept.lower() and not accepts_gzip(accept):
                headers = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
                scope = {**scope, "headers": headers}
        await super().__call__(scope, receive, send)


def matching_tag(if_none_match: str, tag: str) -> str | None:
    """The tag from `If-None-Match` that names this answer (identity or gzipped), if any."""
    gzipped = gzip_tag(tag)
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return tag
        opaque = candidate.removeprefix("W/")  # weak comparison, as RFC 9110 13.1.2 says
        if opaque in (tag, gzipped):
            return opaque
    return None


class HttpCache:
    """ETag, Cache-Control and 304 for GET/HEAD on `pure_paths`; other requests pass untouched."""

    def __init__(self, app: ASGIApp, version: str, pure_paths: Collection[str]) -> None:
        self.app = app
        self.version = version
        self.pure_paths = frozenset(pure_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"] not in self.pure_paths
        ):
            await self.app(scope, receive, send)
            return

        tag = entity_tag(self.version, scope["path"], scope["query_string"])
        asked = Headers(scope=scope).get("if-none-match")
        held = matching_tag(asked, tag) if asked else None
        if held is not None:
            headers = {"ETag": held, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return

        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 206):
                message["headers"] = list(message.get("headers", []))
                headers = MutableHeaders(raw=message["headers"])
                gzipped = headers.get("content-encoding") == "gzip"
                headers["ETag"] = gzip_tag(tag) if gzipped else tag
                headers["Cache-Control"] = CACHE_CONTROL
                headers.add_vary_header("Accept-Encoding")
            await send(message)

        await self.app(scope, receive, send_tagged)
