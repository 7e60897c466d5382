"""Two runs side by side: run A is the URL's config, run B is A with the `b.`-prefixed fields
changed (`/compare?preset=spiral2&b.activation=relu`).

B is read exactly as a page reads A (the preset, then A's fields, then B's own), so a bad
`b.` value is a 422 that names `b.<field>`, and the differences are computed from the two
resolved configs rather than from the URL: `b.width=2` on a width-2 run changes nothing and
is not named as a difference.
"""

from collections.abc import Mapping
from typing import Any

from app.schemas import FIELD_NAMES, TrainConfig
from app.web.params import read_page_query

PREFIX = "b."


def _b_query(query: Mapping[str, str]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """A's query with B's fields over it, and an error for each `b.` name that is no field."""
    merged = {name: value for name, value in query.items() if not name.startswith(PREFIX)}
    errors = []
    for name, value in query.items():
        if not name.startswith(PREFIX):
            continue
        field = name[len(PREFIX) :]
        if field not in FIELD_NAMES:
            errors.append(
                {
                    "loc": ["query", name],
                    "msg": f"{name} is not a config field; one of "
                    + ", ".join(PREFIX + f for f in FIELD_NAMES),
                    "type": "unknown_field",
                }
            )
            continue
        merged[field] = value
    return merged, errors


def _as_b(item: dict[str, Any]) -> dict[str, Any]:
    """An error about a field of B, named as the URL names it (`b.width`)."""
    field = str(item["loc"][-1])
    message = str(item["msg"])
    if field in FIELD_NAMES and not message.startswith(PREFIX):
        message = PREFIX + message
    return {**item, "loc": [*item["loc"][:-1], PREFIX + field], "msg": message}


def differences(a: TrainConfig, b: TrainConfig) -> list[dict[str, Any]]:
    """Each field whose value differs, in the config's own order: {field, a, b}."""
    left, right = a.model_dump(), b.model_dump()
    return [
        {"field": name, "a": left[name], "b": right[name]}
        for name in FIELD_NAMES
        if left[name] != right[name]
    ]


def read_compare_query(
    query: Mapping[str, str],
) -> tuple[TrainConfig | None, TrainConfig | None, list[dict[str, Any]]]:
    """Run A, run B and what is wrong with the URL (A's errors as the page names them, B's
    named with their `b.` prefix). Either config is None when its fields are bad."""
    a, errors = read_page_query({k: v for k, v in query.items() if not k.startswith(PREFIX)})
    merged, unknown = _b_query(query)
    b, b_errors = read_page_query(merged)
    # an error B shares with A is named once, as A's; the rest come from B's own fields
    seen = {(tuple(item["loc"]), item["msg"]) for item in errors}
    extra = [_as_b(item) for item in b_errors if (tuple(item["loc"]), item["msg"]) not in seen]
    return a, b, errors + unknown + extra
