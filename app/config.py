"""One typed settings class, read from LAYERWARP_* environment variables, reached by dependency."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Limits and deployment choices; every one has a default that works out of the box."""

    model_config = SettingsConfigDict(env_prefix="LAYERWARP_")

    host: str = "127.0.0.1"
    port: int = 8000
    frame_ancestors: str = "*"  # CSP frame-ancestors: who may embed the app

    static_dir: Path = ROOT / "static"
    templates_dir: Path = ROOT / "templates"


@lru_cache
def get_settings() -> Settings:
    return Settings()
