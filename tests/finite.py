"""JSON read the way a browser's JSON.parse reads it, and the check that no number in it is
NaN or ±Infinity: what the stream promises, asserted by the tests and the sweep benchmark."""

import json
import math
from typing import Any


def _refuse(name: str) -> float:
    raise ValueError(f"non-finite number on the wire: {name}")


def browser_json(text: str) -> Any:
    """json.loads, but NaN, Infinity and -Infinity are a ValueError, as in JSON.parse."""
    return json.loads(text, parse_constant=_refuse)


def all_finite(value: Any) -> bool:
    """Whether every float in a JSON-like tree of dicts and lists is finite."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(all_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(all_finite(v) for v in value)
    return True
