"""`layerwarp serve`: uvicorn with a graceful-shutdown timeout, because open event streams
would otherwise hold SIGTERM until every client leaves.

X-Forwarded-For is believed only from LAYERWARP_TRUSTED_PROXIES (uvicorn's own default trusts
127.0.0.1, so any local process could pose as any address past the per-address limit); with none
set, uvicorn reads no proxy header at all and the peer is the client.

Each worker keeps a training pool of one process per CPU (not CPUs ÷ workers): connections do
not spread evenly over workers, and an idle pool process costs only memory.
"""

import uvicorn

from app.config import get_settings
from app.web.logs import raise_descriptor_limit


def serve(host: str | None = None, port: int | None = None, workers: int | None = None) -> None:
    settings = get_settings()
    raise_descriptor_limit()  # each open stream holds a descriptor; workers inherit the limit
    uvicorn.run(
        "app.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        timeout_graceful_shutdown=settings.graceful_shutdown_s,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or "",
    )
