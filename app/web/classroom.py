"""Thin handlers for classes (docs/classroom.md): start, lead, follow, challenge, submit, board.

The work is in app/classroom; what each route asks first (the teacher's key from its cookie or
X-Class-Key, the code, per-address limits, JSON-only bodies) is app/web/classdeps.py; here are
the routes, the class's event stream and its refusals as status codes."""

import io
import random
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import segno
from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, ConfigDict

from app.classroom import codes
from app.classroom.live import ClassError
from app.classroom.models import ChallengeIn, StateMove, SubmissionIn, as_of, with_query
from app.classroom.seats import Listener
from app.config import Settings, SettingsDep
from app.web.classdeps import (
    BoardsDep,
    ClassroomDep,
    CodeDep,
    KeyDep,
    address,
    cookie_name,
    json_only,
    limited,
    refusals,
)
from app.web.compute import dumps
from app.web.hub import Hub

router = APIRouter(prefix="/api/class", tags=["class"])
SPREAD = 0.25  # a class stream ends in the last quarter of LAYERWARP_STREAM_SECONDS


class CreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    state: StateMove | None = None


def join_url(request: Request, settings: Settings, code: str) -> str:
    base = settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/join/{code}"


def links(request: Request, settings: Settings, code: str) -> dict[str, str]:
    return {
        "join_url": join_url(request, settings, code),
        "class_url": f"/?class={code}",
        "qr_url": f"/api/class/{code}/qr.svg",
    }


@router.post(
    "", status_code=201, dependencies=[Depends(json_only)], responses=refusals(400, 415, 429, 503)
)
async def start_class(
    request: Request,
    settings: SettingsDep,
    classroom: ClassroomDep,
    body: Annotated[CreateIn | None, Body()] = None,
) -> JSONResponse:
    """Start a class: its code, its teacher's key (also set as an HttpOnly cookie), its links."""
    await limited(request.app.state.class_limits.creates, request, "classes started")
    room, key = await classroom.create(body.state if body else None)
    answer = {
        "code": room.code,
        "key": key,
        **links(request, settings, room.code),
        "expires_at": classroom.expires_at(room),
    }
    response = JSONResponse(answer, status_code=201)
    response.set_cookie(
        cookie_name(room.code),
        key,
        max_age=int((settings.class_idle_hours * 3600) + settings.class_keep_days * 86400),
        path=f"/api/class/{room.code}",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/{code}", responses=refusals(404, 410, 429, 503))
async def class_info(
    code: CodeDep, key: KeyDep, request: Request, settings: SettingsDep, classroom: ClassroomDep
) -> dict[str, Any]:
    """The class as it is now; `teacher` says whether this request may lead it."""
    await limited(request.app.state.class_limits.joins, request, "joins")
    room = await classroom.room(code)
    return {
        "code": code,
        "teacher": codes.key_matches(key, room.key_hash),
        **links(request, settings, code),
        "expires_at": classroom.expires_at(room),
        "state": as_of(with_query(room.state), time.time()),  # as a screen opening now takes it
        "challenge": room.challenge,
        "roster": await classroom.roster(code),
    }


@router.post(
    "/{code}/state",
    dependencies=[Depends(json_only)],
    responses=refusals(400, 403, 404, 410, 415, 429, 503),
)
async def move(
    code: CodeDep, key: KeyDep, move: Annotated[StateMove, Body()], classroom: ClassroomDep
) -> dict[str, Any]:
    """The teacher's move (key required): the fields given replace the class's."""
    return await classroom.move(code, key, move)


@router.delete("/{code}", status_code=204, responses=refusals(403, 404, 410, 429, 503))
async def end_class(code: CodeDep, key: KeyDep, classroom: ClassroomDep) -> Response:
    await classroom.end(code, key)
    return Response(status_code=204)


@router.put(
    "/{code}/challenge",
    dependencies=[Depends(json_only)],
    responses=refusals(400, 403, 404, 410, 415, 429, 503),
)
async def set_challenge(
    code: CodeDep, key: KeyDep, challenge: Annotated[ChallengeIn, Body()], boards: BoardsDep
) -> dict[str, Any] | None:
    return await boards.set_challenge(code, key, challenge)


@router.delete("/{code}/challenge", status_code=204, responses=refusals(403, 404, 410, 429, 503))
async def clear_challenge(code: CodeDep, key: KeyDep, boards: BoardsDep) -> Response:
    await boards.set_challenge(code, key, None)
    return Response(status_code=204)


@router.post(
    "/{code}/submissions",
    status_code=202,
    dependencies=[Depends(json_only)],
    responses=refusals(400, 404, 409, 410, 415, 429, 503),
)
async def submit(
    code: CodeDep,
    submission: Annotated[SubmissionIn, Body()],
    request: Request,
    boards: BoardsDep,
) -> dict[str, Any]:
    """A student's run for the board: the server trains it itself and ranks what it measured."""
    await limited(request.app.state.class_limits.submissions, request, "submissions")
    return await boards.submit(code, submission)


@router.get("/{code}/board", responses=refusals(404, 429, 503))
async def board(code: CodeDep, boards: BoardsDep) -> dict[str, Any]:
    return await boards.board(code)


@router.get("/{code}/qr.svg", response_class=Response, responses=refusals(404, 410, 429, 503))
async def qr_code(
    code: CodeDep, request: Request, settings: SettingsDep, classroom: ClassroomDep
) -> Response:
    """The join link as an SVG QR code, for the projector."""
    await classroom.room(code)
    out = io.BytesIO()
    qr = segno.make(join_url(request, settings, code), error="m")
    qr.save(out, kind="svg", border=4, xmldecl=False, omitsize=True, dark="#000", light="#fff")
    return Response(out.getvalue(), media_type="image/svg+xml")


async def class_listener(
    code: CodeDep,
    key: KeyDep,
    request: Request,
    classroom: ClassroomDep,
    settings: SettingsDep,
    role: Annotated[Literal["student", "teacher"], Query()] = "student",
    following: Annotated[
        int, Query(ge=0, le=1, description="1: this page shows the teacher's now; 0: not")
    ] = 1,
) -> AsyncIterator[Listener]:
    """A place among the worker's streams (LAYERWARP_MAX_CONNECTIONS, per address, as
    /api/stream counts them) and among the class's, both given back when the response ends."""
    hub: Hub = request.app.state.hub
    client = address(request)
    refused = hub.connection_refusal(client)
    if refused is not None:
        retry = settings.retry_after_s
        status = 429 if refused.per_address else 503
        raise ClassError(status, f"this server {refused.why}; retry in {retry} s", retry=retry)
    if role == "student":
        await limited(request.app.state.class_limits.joins, request, "joins")
    stream_id = hub.open_stream(client)
    try:
        listener = await classroom.join(code, role, bool(following), key)
        try:
            yield listener
        finally:
            classroom.leave(listener)
    finally:
        hub.close_stream(client, stream_id)


@router.get(
    "/{code}/events",
    response_class=EventSourceResponse,
    responses=refusals(403, 404, 409, 410, 429, 503),
)
async def events(
    listener: Annotated[Listener, Depends(class_listener)],
    classroom: ClassroomDep,
    settings: SettingsDep,
    request: Request,
) -> AsyncIterator[ServerSentEvent]:
    """hello, state, challenge, board (and roster for the teacher) at once, then as they change;
    closed without a word near LAYERWARP_STREAM_SECONDS (the page reconnects), each stream at its
    own moment so a class does not reconnect all at once."""
    hub: Hub = request.app.state.hub
    seconds = settings.stream_seconds * (1 - SPREAD * random.random())
    async for kind, data in classroom.events(listener, settings.keepalive_s, seconds):
        if hub.stopping:
            return  # shutting down: the page reconnects, to another process
        if kind == "comment":
            yield ServerSentEvent(comment="keep-alive")
        else:
            # a dropped connection comes back after `retry:`, and gets the whole picture again
            retry = settings.retry_ms if kind == "hello" else None
            yield ServerSentEvent(event=kind, raw_data=dumps(data), retry=retry)


async def class_error_handler(request: Request, error: Exception) -> JSONResponse:
    """A refusal as its status; a 404 counts as a miss against the address."""
    assert isinstance(error, ClassError)
    if error.status == 404:
        await request.app.state.class_limits.misses.count(address(request))
    body: dict[str, Any] = {"detail": error.detail}
    if error.reason:
        body["reason"] = error.reason
    headers = {"Retry-After": str(error.retry)} if error.retry else None
    return JSONResponse(body, status_code=error.status, headers=headers)
