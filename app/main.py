"""create_app(): assembly only — settings, middleware, static files, routers."""

from fastapi import FastAPI

from app import __version__
from app.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Layerwarp", version=__version__)
    app.state.settings = settings
    return app


app = create_app()
