"""Lessons, your own data and exports: thin handlers over app.lessons, custom data and export."""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from app.export import jobs
from app.export.spool import Spool
from app.lessons import lesson_index
from app.web import compute
from app.web.downloads import exported, spooled
from app.web.params import ConfigQuery, SnapshotQuery
from app.web.replay import ReplaysDep
from app.web.routes import HubDep
from app.web.scheduler import Account

router = APIRouter()

MAX_CSV_BYTES = compute.MAX_CSV_BYTES


@router.get("/api/lessons", tags=["lessons"])
async def lessons() -> list[dict[str, Any]]:
    """The guided lessons in order: config, view, stage, and text in English and 简体中文."""
    return lesson_index()


@router.post(
    "/api/custom-data",
    tags=["data"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string", "maxLength": MAX_CSV_BYTES}}},
        }
    },
    responses={422: {"description": "Bad rows, each named by its line number."}},
)
async def custom_data(request: Request, hub: HubDep) -> JSONResponse:
    """CSV rows `x,y,label` → the compact `data` parameter for `dataset=custom`."""
    body = await request.body()
    # parsing a full-size file takes 10–30 ms of pure Python: in a thread it shared the GIL with
    # the event loop (40 uploads at once slowed a stream to 0.63 of its rate); in the pool, not
    content, status = await hub.submit(compute.read_csv, body, cost=0.02)
    return JSONResponse(content, status_code=status)


@router.get(
    "/api/export/animation",
    tags=["export"],
    responses={200: {"content": {"text/html": {}}}},
)
async def export_animation(query: SnapshotQuery, request: Request, replays: ReplaysDep) -> Response:
    """A standalone HTML animation of every stage at `step`; plays offline (for slides)."""
    config, step = query
    key = Spool.key("animation", config.model_dump_json(), step)

    async def make(scratch: Path, account: Account) -> None:
        await replays.to_step(config, step, jobs.write_animation, (str(scratch),), account)

    path = await exported(request, replays, key, make)
    if path is None:
        return Response(status_code=499)
    return spooled(
        request, replays.spool, key, path, "text/html; charset=utf-8", f"layerwarp-step{step}.html"
    )


@router.get(
    "/api/export/run",
    tags=["export"],
    responses={200: {"content": {"application/json": {}}}},
)
async def export_run(
    config: ConfigQuery,
    request: Request,
    replays: ReplaysDep,
    every: Annotated[
        int, Query(ge=1, le=jobs.MAX_EVERY, description="Steps between recorded weights.")
    ] = jobs.DEFAULT_EVERY,
) -> Response:
    """The run as JSON: its config and the weights every `every` steps, enough to replay it."""
    key = Spool.key("run", config.model_dump_json(), every)

    async def make(scratch: Path, account: Account) -> None:
        await replays.record(config, every, scratch, account)

    path = await exported(request, replays, key, make)
    if path is None:
        return Response(status_code=499)
    return spooled(request, replays.spool, key, path, "application/json", "layerwarp-run.json")
