"""Exports made once into the spool and served from it: every scratch file is published or
removed on every path, a file is leased while a response reads it, and a disk that refuses
writes answers 503 with one log line (and /healthz says `degraded`), not a 500 and a traceback.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse
from starlette.types import Receive, Scope, Send

from app import __version__
from app.export.spool import Spool, SpoolFailed, is_disk_error
from app.web.httpcache import accepts_gzip, entity_tag, gzip_tag
from app.web.logs import OncePerInterval
from app.web.replay import ClientGone, Replays, while_connected
from app.web.scheduler import Account

log = logging.getLogger("uvicorn.error.spool")
log.addFilter(OncePerInterval())


class SpooledFile(FileResponse):
    """A spooled file whose lease is given back once the response has ended, however it ends."""

    def __init__(self, spool: Spool, key: str, path: Path, **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self.spool = spool
        self.key = key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.spool.release(self.key)


def disk_failed(replays: Replays, error: SpoolFailed) -> HTTPException:
    log.warning("export spool %s: %s; exports answer 503", replays.spool.directory, error)
    return replays.busy(f"cannot write exports to its disk ({error})")


async def exported(
    request: Request,
    replays: Replays,
    key: str,
    make: Callable[[Path, Account], Awaitable[Any]],
) -> Path | None:
    """The spooled file for `key` (leased: serve it with `spooled`), made by `make(scratch)`
    unless on disk already, once for all identical requests in flight; None if the client hung
    up meanwhile (the work stopped if nobody else waits for it)."""
    spool = replays.spool
    path = spool.ready(key)
    if path is not None:
        return path
    address = request.client.host if request.client else ""
    made = replays.shared(
        ("export", key),
        address,
        lambda account: publish(replays, key, make, account),
        "export",
        claim=lambda _: spool.lease(key),  # each waiter's own lease on the file
        release=lambda _: spool.release(key),  # the lease publish took
    )
    try:
        return await while_connected(request, made)
    except ClientGone:
        return None


async def publish(
    replays: Replays, key: str, make: Callable[[Path, Account], Awaitable[Any]], account: Account
) -> Path:
    """Make `key`'s file in a scratch file, publish it (leased) and its gzipped twin, or
    remove the scratch file whatever stops it (a cancellation, the CPU budget, the disk)."""
    spool = replays.spool
    if spool.full():
        raise replays.busy("has its export disk taken by downloads in progress")
    scratch = spool.scratch(key)
    try:
        spool.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        await make(scratch, account)
        path = spool.publish(scratch, key)
    except SpoolFailed as error:
        raise disk_failed(replays, error) from None
    except OSError as error:  # the pool's write comes back as the OSError it raised
        spool.discard(scratch)
        if not is_disk_error(error):
            raise
        raise disk_failed(replays, spool.failed(error)) from None
    except BaseException:  # the CPU budget's 503, a failed replay, a cancellation
        spool.discard(scratch)
        raise
    try:
        await asyncio.to_thread(spool.compress, key)
    except BaseException:
        spool.release(key)
        raise
    spool.trim()
    return path


def spooled(
    request: Request, spool: Spool, key: str, path: Path, media_type: str, filename: str
) -> FileResponse:
    """The leased file, or its gzipped twin as it lies on disk when the client accepts gzip
    (the compression middleware leaves an answer that already has an encoding alone). Its ETag
    is the URL's (app.web.httpcache), on a 206 too, so `If-Range` with it matches."""
    tag = entity_tag(__version__, request.url.path, request.scope["query_string"])
    headers = {"Vary": "Accept-Encoding", "ETag": tag}
    zipped = spool.gzipped(key)
    if accepts_gzip(request.headers.get("accept-encoding", "")) and zipped.exists():
        path = zipped
        headers["Content-Encoding"] = "gzip"
        headers["ETag"] = gzip_tag(tag)
    return SpooledFile(spool, key, path, media_type=media_type, filename=filename, headers=headers)
