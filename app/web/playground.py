"""The layer playground's URL: `/playground?W=a,b,c,d&b=e,f&activation=tanh&stage=act`.

The URL is the playground's whole state, so a teacher can link one layer. The server reads it
once, names every bad field (the page then answers 422 with the message, as `/` does) and hands
the page the values with each bad one replaced by its default; everything after that — the
stages, the tween, the drags — runs in the browser (static/js/playground/).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.engine.activations import ACTIVATIONS

WEIGHT_LIMIT = 10.0  # |every entry of W and b|: beyond this the picture leaves any window
STAGES = ("input", "W", "b", "act")


@dataclass(frozen=True)
class PlaygroundState:
    W: tuple[float, float, float, float]  # row-major: [[W[0], W[1]], [W[2], W[3]]]
    b: tuple[float, float]
    activation: str
    stage: str

    def as_page(self) -> dict[str, Any]:
        """The values as the page's data attributes read them."""
        return {
            "W": ",".join(repr(v) for v in self.W),  # repr: every digit, for the tests' 1e-9
            "b": ",".join(repr(v) for v in self.b),
            "activation": self.activation,
            "stage": self.stage,
        }


DEFAULT = PlaygroundState(W=(1.2, 0.4, -0.5, 0.9), b=(0.3, -0.2), activation="tanh", stage="act")


def _numbers(name: str, text: str, count: int) -> tuple[tuple[float, ...] | None, str | None]:
    """`count` comma-separated finite numbers within ±WEIGHT_LIMIT, or a message saying why not."""
    wanted = (
        f"{name} must be {count} comma-separated numbers between "
        f"{-WEIGHT_LIMIT:g} and {WEIGHT_LIMIT:g}"
    )
    parts = text.split(",")
    if len(parts) != count:
        return None, f"{wanted} (got {len(parts)} in {text!r})"
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            return None, f"{wanted} (got {part.strip()!r})"
        if not math.isfinite(value) or abs(value) > WEIGHT_LIMIT:
            return None, f"{wanted} (got {part.strip()!r})"
        values.append(value)
    return tuple(values), None


def _choice(name: str, text: str, allowed: tuple[str, ...]) -> tuple[str | None, str | None]:
    """`text` if it is one of `allowed`, or a message naming them."""
    if text in allowed:
        return text, None
    return None, f"{name} must be one of {', '.join(allowed)} (got {text!r})"


# each field of the URL: how to read it; a field the URL leaves out keeps its default
_READERS = {
    "W": lambda text: _numbers("W", text, 4),
    "b": lambda text: _numbers("b", text, 2),
    "activation": lambda text: _choice("activation", text, tuple(ACTIVATIONS)),
    "stage": lambda text: _choice("stage", text, STAGES),
}


def read_playground(query: Mapping[str, str]) -> tuple[PlaygroundState, list[dict[str, Any]]]:
    """The state the URL asks for, and one error per bad field (each field then its default)."""
    errors: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    for name, read in _READERS.items():
        if name not in query:
            continue
        value, message = read(query[name])
        if message:
            errors.append({"loc": ["query", name], "msg": message, "type": "value_error"})
        else:
            values[name] = value
    return replace(DEFAULT, **values), errors
