"""One typed settings class, read from LAYERWARP_* environment variables, reached by dependency.

Every limit has a default that works out of the box (`make serve`, nothing to configure); the
README lists the variables. Tests pass a Settings to create_app(); routes read that app's own
through `SettingsDep` (app.state), never through app.dependency_overrides: while any override
is set, FastAPI rebuilds every dependency's model on every request (≈10 ms for a stream's thirty
query parameters, on the event loop).
"""

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request

PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """`static` or `templates`: inside the package when installed from the wheel (app/static),
    beside it in a checkout, where the repository keeps them at the top level."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


def _default_processes() -> int:
    return max(1, os.cpu_count() or 1)


class Settings(BaseSettings):
    """Limits and deployment choices; every one has a default that works out of the box."""

    model_config = SettingsConfigDict(env_prefix="LAYERWARP_")

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(1, ge=1, description="uvicorn worker processes for `layerwarp serve`")

    max_streams: int = Field(
        100,
        ge=1,
        description="distinct computations streamed per worker (readers of one run count once); "
        "beyond it a new one gets 503 + Retry-After",
    )
    max_connections: int = Field(
        2000, ge=1, description="open streams per worker, shared runs included; beyond it: 503"
    )
    max_streams_per_address: int = Field(
        400, ge=1, description="open streams from one client address (a school is one NAT address)"
    )
    max_replays: int = Field(
        4, ge=1, description="snapshot and export replays computing at once per worker; then 503"
    )
    replay_cpu_s: float = Field(
        30.0, gt=0, description="CPU-seconds one snapshot or export request may use; then 503"
    )
    export_cache_mb: float = Field(
        256.0, ge=0, description="disk for finished exports, served from there, oldest out"
    )
    spool_dir: Path | None = Field(
        None,
        description="where finished exports are spooled (a directory per process, removed when "
        "it exits and, after a kill, when the next process starts); default: TMPDIR",
    )
    send_buffer_mb: float = Field(
        64.0,
        ge=0,
        description="memory for stream bytes written to clients that have not read them yet "
        "(all streams of a worker); when it is full, a stream still holding unread bytes is "
        "dropped at its next event",
    )
    send_timeout_s: float = Field(
        30.0, gt=0, description="a client that reads nothing for this long is dropped"
    )
    retry_after_s: int = Field(5, ge=1, description="Retry-After on a 503 (seconds)")
    stream_seconds: float = Field(
        900.0, gt=0, description="longest a stream may stay open; then `done: duration`"
    )
    compute_processes: int = Field(
        default_factory=_default_processes,
        ge=1,
        description="training processes per worker (default: one per CPU)",
    )
    training_cpu: float | None = Field(
        None,
        gt=0,
        description="CPU-seconds per second the training processes promise to streams at full "
        "rate; a new distinct run beyond it gets 503 + Retry-After (default: 0.5 per process)",
    )
    stall_s: float = Field(
        5.0,
        gt=0,
        description="/healthz says 503 `stalled` when work has waited this long with no task "
        "ending; the pool is rebuilt after three times this",
    )
    task_limit_s: float = Field(
        60.0, gt=0, description="a training task running longer is stuck: the pool is rebuilt"
    )
    training_niceness: int = Field(
        5, ge=0, le=19, description="nice value of training processes: the event loop goes first"
    )
    cache_mb: float = Field(
        64.0, ge=0, description="memory for encoded snapshots shared by identical streams"
    )
    checkpoint_mb: float = Field(
        64.0,
        ge=0,
        description="memory for training checkpoints (runs, resumes and replays start near "
        "their step from one); least recently used configs' go first",
    )
    max_url_bytes: int = Field(
        8192, ge=256, description="longer request targets get 414 (custom points need ~3.4 KB)"
    )
    max_body_bytes: int = Field(
        65536, ge=0, description="larger request bodies get 413 (a CSV of points fits)"
    )
    keepalive_s: float = Field(15.0, gt=0, description="seconds between keep-alive comments")
    retry_ms: int = Field(2000, ge=0, description="the stream's `retry:` reconnection hint")
    frame_ancestors: str = Field(
        "*",
        description="CSP frame-ancestors: who may embed the app (* sends none: anyone may)",
    )
    trusted_proxies: str = Field(
        "",
        description="comma-separated addresses or networks of the reverse proxies in front "
        "(e.g. 127.0.0.1 for deploy/nginx.conf): X-Forwarded-For and X-Forwarded-Proto are "
        "believed only from these; empty: from nobody, the peer is the client",
    )
    graceful_shutdown_s: float = Field(
        5.0, ge=0, description="uvicorn --timeout-graceful-shutdown: open streams are cut after it"
    )

    # -- classes (docs/classroom.md) --
    data_dir: Path = Field(
        Path(".layerwarp-data"), description="where the SQLite store (classes.sqlite3) lives"
    )
    redis_url: str | None = Field(
        None, description="redis://… : keep classes in Redis, so several replicas serve one class"
    )
    public_url: str | None = Field(
        None, description="the site's address as students type it (join links, QR codes)"
    )
    class_idle_hours: float = Field(
        12.0, gt=0, description="a class ends this long after its teacher's last move"
    )
    class_max_students: int = Field(200, ge=1, description="student streams in one class")
    class_max_rooms: int = Field(500, ge=1, description="classes one worker holds at once")
    class_creates_per_hour: int = Field(30, ge=1, description="classes started per address")
    class_joins_per_minute: int = Field(
        600,
        ge=1,
        description="joins per address (a school is one NAT address: thirty students each open "
        "the join link, the class and its stream, and reopen it to explore)",
    )
    class_misses_per_hour: int = Field(
        120, ge=1, description="wrong codes per address; then 429, so codes cannot be walked"
    )
    class_submissions_per_minute: int = Field(30, ge=1, description="submissions per address")
    class_max_entries: int = Field(200, ge=1, description="entries on one challenge board")
    class_submission_cpu_s: float = Field(
        30.0, gt=0, description="CPU-seconds the server spends training one submission"
    )
    class_keep_days: float = Field(
        7.0, ge=0, description="an ended class's board stays readable this long"
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        """Each entry an address or a network (`10.0.0.0/8`), so a typo fails at start-up."""
        entries = (entry.strip() for entry in value.split(",") if entry.strip())
        # ValueError names a bad entry; `10.1.2.3/8` becomes 10.0.0.0/8 (uvicorn wants it exact)
        return ",".join(str(ipaddress.ip_network(entry, strict=False)) for entry in entries)

    static_dir: Path = bundled("static")
    templates_dir: Path = bundled("templates")


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment, read once."""
    return Settings()


async def app_settings(request: Request) -> Settings:
    """The settings of the app serving the request (create_app's), as an async dependency: a sync
    one would cost a thread hop per request."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
