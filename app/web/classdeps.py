"""What every class route asks first: who is asking (their address, the teacher's key), which
class (its code, normalised), within which per-address limits; and the refusals it documents."""

from typing import Annotated, Any

from fastapi import Depends, Request

from app.classroom import codes
from app.classroom.board import Boards
from app.classroom.live import ClassError, Classroom
from app.classroom.ratelimit import Limit
from app.classroom.store import Store
from app.config import Settings

KEY_HEADER = "X-Class-Key"

# The refusals a route may answer (ClassError's statuses), documented on each route that does.
_REFUSALS: dict[int, str] = {
    400: "The body could not be read as JSON (FastAPI's answer to bytes that are not UTF-8).",
    403: "Only the class's teacher may do this: X-Class-Key or its cookie is missing or wrong.",
    404: "No class has this code.",
    409: "The class has no challenge, or its board or room is full.",
    410: "The class has ended, or expired with no move from its teacher for a while.",
    415: "The body is not application/json.",
    429: "Too many requests of this kind from this address; Retry-After says when to retry.",
    503: "The class store is unavailable or holds all the classes it may; Retry-After says when.",
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for these statuses: their description and the JSON body they carry."""
    body = {"application/json": {"schema": {"type": "object"}}}
    return {status: {"description": _REFUSALS[status], "content": body} for status in statuses}


class Limits:
    """The per-address limits of one app, from its store: shared by replicas with Redis."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.creates = store.rate_limit("creates", settings.class_creates_per_hour, 3600)
        self.joins = store.rate_limit("joins", settings.class_joins_per_minute, 60)
        self.misses = store.rate_limit("misses", settings.class_misses_per_hour, 3600)
        self.submissions = store.rate_limit(
            "submissions", settings.class_submissions_per_minute, 60
        )


def address(request: Request) -> str:
    return request.client.host if request.client else ""


def cookie_name(code: str) -> str:
    return f"layerwarp_class_{code}"


async def get_classroom(request: Request) -> Classroom:
    return request.app.state.classroom


async def get_boards(request: Request) -> Boards:
    return request.app.state.boards


ClassroomDep = Annotated[Classroom, Depends(get_classroom)]
BoardsDep = Annotated[Boards, Depends(get_boards)]


async def limited(limit: Limit, request: Request, what: str) -> None:
    wait = await limit.take(address(request))
    if wait is not None:
        raise ClassError(429, f"too many {what} from your address; retry in {wait} s", retry=wait)


async def class_code(code: str, request: Request) -> str:
    """The code in the path, upper case; 429 for an address that has missed too often."""
    wait = await request.app.state.class_limits.misses.retry_after(address(request))
    if wait is not None:
        why = f"too many wrong codes from your address; retry in {wait} s"
        raise ClassError(429, why, retry=wait)
    normal = codes.normal_code(code)
    if normal is None:
        raise ClassError(404, f"there is no class {code[:12]!r}: a code is 6 letters and digits")
    return normal


CodeDep = Annotated[str, Depends(class_code)]


async def class_key(code: CodeDep, request: Request) -> str | None:
    return request.headers.get(KEY_HEADER) or request.cookies.get(cookie_name(code))


KeyDep = Annotated[str | None, Depends(class_key)]


async def json_only(request: Request) -> None:
    """Bodies are JSON: a cross-site form cannot post one without the browser asking first."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and request.headers.get("content-length", "0") != "0":
        raise ClassError(415, "send the body as application/json")
