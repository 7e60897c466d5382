"""create_app(): assembly only — settings, middleware, static files, routers, the compute hub."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp

from app import __version__
from app.classroom.live import ClassError
from app.classroom.setup import open_classes
from app.config import Settings, get_settings
from app.web import assets, classdeps, classroom, extras, joinpages, pages, routes
from app.web.bodylimit import BodyLimitMiddleware
from app.web.head import HeadMiddleware
from app.web.httpcache import HttpCache, NegotiatedGZip
from app.web.hub import Hub
from app.web.logs import quiet_floods
from app.web.malloc import return_large_blocks
from app.web.methods import method_error_handler
from app.web.params import validation_error_handler
from app.web.replay import Replays
from app.web.security import SecurityMiddleware
from app.web.sendguard import SendGuard

DESCRIPTION = """Train a small NumPy network and watch every layer warp the plane, streamed live
as server-sent events from `/api/stream`. Every training parameter is a query parameter with
the same name as the CLI flag; `/api/presets` lists named configs. The stream's compact
encoding is described on `/api/stream` and in docs/wire.md."""

# Answers that are pure functions of their URL (runs are deterministic): app.web.httpcache tags
# them, answers revalidations without running them, and lets caches keep them.
PURE_PATHS = (
    "/api/snapshot",
    "/api/export/animation",
    "/api/export/run",
    "/api/presets",
    "/api/lessons",
    "/api/config",
)
GZIP_MIN_BYTES = 1024

# The security middleware answers these before any route runs, so every route may give them.
LIMIT_RESPONSES: dict[int | str, dict] = {
    413: {
        "description": "Request body larger than LAYERWARP_MAX_BODY_BYTES.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    414: {
        "description": "Request target longer than LAYERWARP_MAX_URL_BYTES.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
}


class Layerwarp(FastAPI):
    """FastAPI with SendGuard around its whole middleware stack (outside Starlette's error
    middleware, where the server's own `send` is reached: see app.web.sendguard)."""

    def build_middleware_stack(self) -> ASGIApp:
        settings: Settings = self.state.settings
        return SendGuard(
            super().build_middleware_stack(),
            settings.send_timeout_s,
            settings.stream_seconds,
            settings.send_buffer_mb * 1e6,
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        quiet_floods("asyncio")
        return_large_blocks()
        hub = Hub(settings)
        app.state.hub = hub
        app.state.replays = Replays(hub, settings)
        app.state.classroom, app.state.boards = open_classes(settings, hub)
        app.state.class_limits = classdeps.Limits(settings, app.state.classroom.store)
        # the first page view should not pay for compressing plotly.js
        warming = asyncio.create_task(asyncio.to_thread(assets.warm, settings))
        try:
            await hub.start()
            await app.state.classroom.start()
            await app.state.boards.start()
            app.openapi()  # built once, ≈50 ms: now rather than on the loop at the first /docs
            yield
        finally:
            warming.cancel()
            await app.state.classroom.close()
            await hub.close()
            app.state.replays.close()

    app = Layerwarp(
        title="Layerwarp",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=LIMIT_RESPONSES,
    )
    # the routes' SettingsDep reads it here (no dependency_overrides: see app.config)
    app.state.settings = settings
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    # the last added runs first: security headers on everything, then validators, which see
    # whether gzip (below them; JSON, HTML, JS, CSS, never the event stream) encoded the body
    app.add_middleware(NegotiatedGZip, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    app.add_middleware(HttpCache, version=__version__, pure_paths=PURE_PATHS)
    app.add_middleware(SecurityMiddleware, settings=settings)
    app.add_middleware(HeadMiddleware)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(ClassError, classroom.class_error_handler)
    app.add_exception_handler(HTTPException, method_error_handler)
    app.include_router(routes.router)
    app.include_router(extras.router)
    app.include_router(pages.router)
    app.include_router(assets.router)
    app.include_router(classroom.router)
    app.include_router(joinpages.router)
    if settings.static_dir.is_dir():
        app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    return app


app = create_app()
