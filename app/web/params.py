"""Query parameters derived from TrainConfig, so names, ranges and help have one source of truth.

FastAPI reads a dependency's signature; `config_query` gets one built from TrainConfig's fields
(each a Query with the field's bounds, choices, default and description), so /docs lists every
parameter with its range and a bad value is a 422 naming the field. Unknown parameters are
ignored: a page may pass its whole URL state through.
"""

import inspect
import re
from collections.abc import Iterable, Mapping
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError, create_model
from pydantic.fields import FieldInfo

from app.presets import PRESETS, resolve
from app.schemas import FIELD_NAMES, TrainConfig

PresetName = Literal[tuple(PRESETS)]  # type: ignore[valid-type]

# The default spirals go from 65% to 100% test accuracy over their first ~200 steps: at 5 steps a
# snapshot and 4 snapshots a second (20 steps/s) a class watches that happen over ten seconds.
DEFAULT_EVERY = 5
DEFAULT_RATE = 4.0  # snapshots/s: ≈ 4 × 5 KB ≈ 21 KB/s (≈ 240 KB/s with positions=1)


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            low = item.ge
        elif isinstance(item, annotated_types.Le):
            high = item.le
    return low, high


def _choices(info: FieldInfo) -> tuple[Any, ...] | None:
    annotation = info.annotation
    if get_origin(annotation) in (Union, UnionType):  # Optional[Literal[...]]
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return get_args(annotation) if get_origin(annotation) is Literal else None


def allowed(info: FieldInfo) -> str:
    """What a field accepts, in words: 'between 0 and 16', 'one of tanh, relu', 'true or false'."""
    choices = _choices(info)
    if choices:
        return "one of " + ", ".join(str(c) for c in choices)
    if info.annotation is bool:
        return "true or false"
    if info.annotation in (str, str | None):
        limit = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        return "text" + (f" of at most {limit} characters" if limit else "")
    low, high = _bounds(info)
    kind = "an integer" if info.annotation is int else "a number"
    if low is not None and high is not None:
        return f"{kind} between {low:g} and {high:g}"
    if low is not None:
        return f"{kind} ≥ {low:g}"
    return kind


def _field(annotation: Any, default: Any, description: str, **bounds: float) -> FieldInfo:
    info = Field(default, description=description, **bounds)
    info.annotation = annotation
    return info


EXTRA_FIELDS: dict[str, FieldInfo] = {
    "preset": _field(
        PresetName | None,
        None,
        "Start from a named preset (see /api/presets); other parameters override it.",
    ),
    "every": _field(int, DEFAULT_EVERY, "Training steps between snapshots.", ge=1, le=1000),
    "rate": _field(float, DEFAULT_RATE, "At most this many snapshots per second.", ge=0.1, le=20),
    "step": _field(int, 0, "Training step of the snapshot (at most `steps`).", ge=0, le=20000),
}


SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)  # "Play the layers" speeds the page offers ([ and ] step)

# The pages' own parameters: how the warp view moves (static/js/motion.js, warpview.js).
PAGE_FIELDS: dict[str, FieldInfo] = {
    "loop": _field(
        int,
        1,
        "1: the layers play by themselves again and again while the run trains; 0: once.",
        ge=0,
        le=1,
    ),
    "speed": _field(float, 1.0, "Speed of “Play the layers”.", ge=SPEEDS[0], le=SPEEDS[-1]),
    "axes": _field(
        Literal["fixed", "fitted"],
        "fitted",
        "3-D axes: each stage fitted (gliding between stages), or one window for every stage.",
    ),
}


def field_info(name: str) -> FieldInfo | None:
    return TrainConfig.model_fields.get(name) or EXTRA_FIELDS.get(name) or PAGE_FIELDS.get(name)


def _query_parameter(name: str, info: FieldInfo) -> inspect.Parameter:
    """A keyword parameter whose Query carries the field's range, choices and description."""
    low, high = _bounds(info)
    annotation = info.annotation
    extra: dict[str, Any] = {}
    choices = _choices(info)
    if choices and all(isinstance(c, int) for c in choices):
        # a query string is text; pydantic will not read "3" as the literal 3, so take an int
        annotation, extra = int, {"enum": list(choices)}
    max_length = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
    query = Query(
        description=f"{info.description} Allowed: {allowed(info)}.",
        ge=low,
        le=high,
        max_length=max_length,
        json_schema_extra=extra or None,
    )
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[annotation, query],
        default=info.default,
    )


def _with_signature(names: list[str]):
    """Decorate a dependency taking (request, **values) with a signature FastAPI can read."""

    def decorate(function):
        parameters = [
            inspect.Parameter(
                "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request
            )
        ] + [_query_parameter(name, field_info(name)) for name in names]
        function.__signature__ = inspect.Signature(parameters)
        return function

    return decorate


def plain_integers(request: Request, names: Iterable[str]) -> None:
    """A 422 for an integer parameter not written as ASCII digits (with an optional minus): int()
    and pydantic's lax mode also read '1_0', '+1', ' 10' and '10.0' as 10, so one value had
    many URLs (each its own cache entry and spooled export)."""
    errors = [
        {
            "type": "int_parsing",
            "loc": ("query", name),
            "msg": f"{name} must be {_allowed_integer(name)} in plain digits (got {text!r})",
            "input": text,
        }
        for name in names
        if (text := request.query_params.get(name)) is not None
        and not re.fullmatch(r"-?[0-9]+", text)
    ]
    if errors:
        raise RequestValidationError(errors)


def _allowed_integer(name: str) -> str:
    info = field_info(name)
    return allowed(info) if info is not None else "an integer"


def _integers(names: Iterable[str]) -> list[str]:
    """Those of `names` whose query parameter is an integer."""
    return [
        name
        for name in names
        if _query_parameter(name, field_info(name)).annotation.__origin__ is int
    ]


def _build_config(request: Request, values: dict[str, Any]) -> TrainConfig:
    """The preset (if any) with every parameter present in the URL on top; 422 naming the field."""
    plain_integers(request, INTEGER_PARAMETERS)
    given = {name: values[name] for name in FIELD_NAMES if name in request.query_params}
    try:
        return resolve(values.get("preset"), given)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors()]
        ) from None


INTEGER_PARAMETERS = _integers([*FIELD_NAMES, "every", "step"])


@_with_signature(["preset", *FIELD_NAMES])
async def config_query(request: Request, **values: Any) -> TrainConfig:
    return _build_config(request, values)


@_with_signature(["preset", *FIELD_NAMES, "every", "rate"])
async def stream_query(request: Request, **values: Any) -> tuple[TrainConfig, int, float]:
    return _build_config(request, values), values["every"], values["rate"]


@_with_signature(["preset", *FIELD_NAMES, "step"])
async def snapshot_query(request: Request, **values: Any) -> tuple[TrainConfig, int]:
    config = _build_config(request, values)
    if values["step"] > config.steps:
        raise RequestValidationError(
            [
                {
                    "type": "less_than_equal",
                    "loc": ("query", "step"),
                    "msg": f"step must be between 0 and steps ({config.steps})",
                    "input": values["step"],
                }
            ]
        )
    return config, values["step"]


PageQuery = create_model(
    "PageQuery",
    **{
        name: (parameter.annotation, parameter.default)
        for name in ["preset", *FIELD_NAMES, *PAGE_FIELDS]
        for parameter in [_query_parameter(name, field_info(name))]
    },
)


def _friendly_errors(error: ValidationError) -> list[dict[str, Any]]:
    return [friendly({**item, "loc": ("query", *item["loc"])}) for item in error.errors()]


def read_page_query(query: Mapping[str, str]) -> tuple[TrainConfig | None, list[dict[str, Any]]]:
    """The config a page URL states, resolved as /api/config resolves it (the preset, then the
    fields), and what is wrong with it, as the API's 422 would say it.

    An unknown preset is named and left out, so the rest of the URL still runs (the page says
    so); any bad field leaves no config. Unknown parameters pass, as in the API: they are the
    page's own URL state.
    """
    given = {name: query[name] for name in PageQuery.model_fields if name in query}
    errors = [
        friendly({"type": "int_parsing", "loc": ("query", name), "input": given.pop(name)})
        for name in INTEGER_PARAMETERS
        if name in given and not re.fullmatch(r"-?[0-9]+", given[name])
    ]
    try:
        PageQuery.model_validate(given)
    except ValidationError as error:
        errors += _friendly_errors(error)
    if any(item["loc"][-1] != "preset" for item in errors):
        return None, errors
    if errors:  # only the preset is unknown: the fields alone
        given.pop("preset")
    values = PageQuery.model_validate(given)
    overrides = {name: getattr(values, name) for name in FIELD_NAMES if name in given}
    try:
        config = resolve(values.preset, overrides)
    except ValidationError as error:  # a rule across fields (batch_size ≤ points)
        return None, errors + _friendly_errors(error)
    return config, errors


ConfigQuery = Annotated[TrainConfig, Depends(config_query)]
StreamQuery = Annotated[tuple[TrainConfig, int, float], Depends(stream_query)]
SnapshotQuery = Annotated[tuple[TrainConfig, int], Depends(snapshot_query)]


def friendly(item: dict[str, Any]) -> dict[str, Any]:
    """One validation error whose message names the field and what it allows."""
    loc = list(item.get("loc", ()))
    if loc[:1] == ["header"]:  # header names are case-insensitive; say them one way
        loc = ["header", *(str(part).lower() for part in loc[1:])]
    name = str(loc[-1]) if loc else ""
    info = field_info(name)
    message = str(item.get("msg", "invalid"))
    if info is not None and not message.startswith(name):
        if item.get("type") == "value_error":  # a cross-field rule already says what it wants
            message = f"{name}: {message.removeprefix('Value error, ')}"
        else:
            message = f"{name} must be {allowed(info)}"
        if "input" in item and item.get("type") != "missing":
            message += f" (got {item['input']!r})"
    out = {"loc": loc, "msg": message, "type": item.get("type")}
    if info is not None:
        out["allowed"] = allowed(info)
    return out


async def validation_error_handler(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse({"detail": [friendly(item) for item in error.errors()]}, status_code=422)
