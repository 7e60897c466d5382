"""405 answers whose Allow header lists every method the path has.

Starlette answers a 405 from the first route whose path matches, so with GET and DELETE on
/api/class/{code} as two routes its Allow named only GET; this handler asks every route."""

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """The methods some route fully matches at this request's path (asked route by route:
    included routers answer `matches` like any route)."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    ]


async def method_error_handler(request: Request, error: Exception) -> Response:
    """FastAPI's own answer, with the path's full Allow on a 405."""
    assert isinstance(error, HTTPException)
    if error.status_code == 405:
        methods = allowed_methods(request)
        if methods:
            error.headers = {**(error.headers or {}), "Allow": ", ".join(methods)}
    return await http_exception_handler(request, error)
