"""Thin handlers: health, version, presets, one snapshot, and the stream."""

from collections.abc import Awaitable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse

from app import __version__
from app.config import SettingsDep
from app.presets import PRESETS
from app.schemas import MAX_STEP, TrainConfig, wire_encoding
from app.web import compute, sse
from app.web.hub import Hub
from app.web.params import ConfigQuery, SnapshotQuery, StreamQuery, plain_integers
from app.web.replay import ClientGone, ReplaysDep, while_connected
from app.web.scheduler import Account
from app.web.stream import events

router = APIRouter()


WIRE_DESCRIPTION = (
    "A `text/event-stream` of events declared as the models `MetaEvent`, `SnapshotEvent`, "
    "`DoneEvent` and `ErrorEvent` in app/schemas.py (full prose: docs/wire.md). `meta` comes "
    "first (config, input points, stage names), then `snapshot` events (`id:` is the training "
    "step: each layer's W and b, from which a reader computes every stage) at most `rate` a "
    "second, then `done` with a `reason`. A reconnect with "
    "`Last-Event-ID: N` continues with the snapshot after step N, identical to an unbroken "
    "stream. Encoding: "
    + "; ".join(f"{name}: {rule}" for name, rule in wire_encoding().items())
    + "."
)


async def get_hub(request: Request) -> Hub:
    return request.app.state.hub


HubDep = Annotated[Hub, Depends(get_hub)]


def busy(settings: SettingsDep, why: str) -> HTTPException:
    return HTTPException(
        503,
        f"this server {why}; retry shortly",
        headers={"Retry-After": str(settings.retry_after_s)},
    )


PositionsQuery = Annotated[
    bool,
    Query(
        description="1: each snapshot also carries the σ stages' positions (int16) and the tween "
        "matrices, for readers that would rather not compute them from the maps (docs/wire.md)."
    ),
]


async def admitted(
    query: StreamQuery,
    request: Request,
    hub: HubDep,
    settings: SettingsDep,
    positions: PositionsQuery = False,
):
    """The stream's (config, every, rate), its id once it has a place among the worker's
    streams (or 503 with Retry-After when there is none), and its form."""
    config, every, rate = query
    address = request.client.host if request.client else ""
    why = hub.refusal(config, every, address, rate, positions)
    if why is not None:
        raise busy(settings, why)
    stream_id = hub.open_stream(address, config, every, rate)
    try:
        yield config, every, rate, stream_id, positions
    finally:
        hub.close_stream(address, stream_id)


async def resume_point(
    request: Request,
    last_event_id: Annotated[
        str | None,
        Header(
            alias="Last-Event-ID",
            description="Sent by EventSource on reconnect: continue after this step "
            "(ASCII digits; anything else is a 422).",
        ),
    ] = None,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=MAX_STEP,
            description="Continue after this step (for clients that cannot set headers).",
        ),
    ] = None,
) -> int:
    """The last step the client has, −1 for none.

    EventSource re-sends the original URL on reconnect, so a stream opened with `after=` and
    then dropped arrives with both: the larger is what the client really has.
    """
    plain_integers(request, ["after"])
    if last_event_id is None or not last_event_id.strip():
        return -1 if after is None else after
    text = last_event_id.strip()
    # ASCII digits only (the pattern): int() would also read '١٢', '1_0' and 4,000 digits. A step
    # beyond a run's end is a client that has it all: it gets meta and done.
    digits = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_STEP))
    step = int(text) if digits else -1
    if step > MAX_STEP:
        step = -1
    if step < 0:
        raise RequestValidationError(
            [
                {
                    "type": "int_parsing",
                    "loc": ("header", "last-event-id"),
                    "msg": "last-event-id must be a training step: an integer ≥ 0",
                    "input": last_event_id,
                }
            ]
        )
    return step if after is None else max(step, after)


SICK = ("stalled", "rebuilding")  # /healthz answers 503: work is not getting done


@router.get(
    "/healthz",
    tags=["meta"],
    responses={
        503: {"description": "work waits and no task ends (`stalled`), or the pool is `rebuilding`"}
    },
)
async def healthz(request: Request, hub: HubDep, replays: ReplaysDep) -> JSONResponse:
    """Whether this worker gets work done: 503 when it is `stalled` or `rebuilding` its pool,
    so a balancer or a monitor acts. `degraded` (still 200: streams and snapshots work) names
    what does not, in `problems`: e.g. a disk that refuses exports, or a class store that did
    not open."""
    stats = {**hub.stats(), "replays": replays.active, "replay_waiters": replays.flights.waiting}
    classes = request.app.state.classroom.problem
    problems = [problem for problem in (replays.spool.problem(), classes) if problem]
    if stats["status"] == "ok" and problems:
        stats["status"] = "degraded"
    stats = {"status": stats["status"], "problems": problems, **stats}
    return JSONResponse(stats, status_code=503 if stats["status"] in SICK else 200)


@router.get("/api/version", tags=["meta"])
async def version() -> dict[str, str]:
    return {"version": __version__}


@router.get("/api/presets", tags=["config"])
async def presets() -> list[dict[str, Any]]:
    """The named presets: full config, title and explanation in English and 简体中文."""
    return [preset.public() for preset in PRESETS.values()]


@router.get("/api/config", tags=["config"])
async def config(config: ConfigQuery) -> dict[str, Any]:
    """The normalised config for these parameters (a preset plus overrides), or a 422."""
    return config.model_dump()


@router.get(
    "/api/snapshot",
    tags=["training"],
    responses={200: {"content": {"application/json": {}}}},
)
async def one_snapshot(
    query: SnapshotQuery,
    request: Request,
    replays: ReplaysDep,
    form: Annotated[
        Literal["plain", "exact", "wire"],
        Query(
            description="`plain`: the JSON of `layerwarp snapshot --step N` (every stage, floats "
            "to 6 decimals); `exact`: the same with every float unrounded; `wire`: the stream's "
            "`SnapshotEvent`, with each layer's `grad_W` and `grad_b` added (what the page's "
            "single step shows)."
        ),
    ] = "plain",
) -> Response:
    """One snapshot, in the plain JSON of `layerwarp snapshot --step N` or in the wire form.
    Replayed from the nearest checkpoint the server has; 503 + Retry-After when busy."""
    config, step = query
    key = ("snapshot", config.model_dump_json(), step, form)
    address = request.client.host if request.client else ""

    def replay(account: Account) -> Awaitable[bytes]:
        return replays.to_step(config, step, compute.one_snapshot, (form,), account)

    try:
        body = await while_connected(request, replays.shared(key, address, replay))
    except ClientGone:
        return Response(status_code=499)  # nobody to send it to
    return Response(body, media_type="application/json")


@router.get(
    "/api/stream",
    response_class=StreamingResponse,
    tags=["training"],
    description=WIRE_DESCRIPTION,
    responses={
        200: {"content": {sse.MEDIA_TYPE: {}}, "description": "The event stream."},
        503: {"description": "Too many open streams; see Retry-After."},
    },
)
async def stream(
    stream: Annotated[tuple[TrainConfig, int, float, int, bool], Depends(admitted)],
    after: Annotated[int, Depends(resume_point)],
    hub: HubDep,
    settings: SettingsDep,
) -> StreamingResponse:
    """Train live and stream every layer's warp as server-sent events (bytes made once per
    event and shared by its readers: see app.web.sse)."""
    config, every, rate, stream_id, positions = stream
    return StreamingResponse(
        events(hub, settings, stream_id, config, every, rate, after, positions),
        media_type=sse.MEDIA_TYPE,
        headers=sse.HEADERS,
    )
