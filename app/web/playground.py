"""The layer playground's URL: `/playground?W=a,b,c,d&b=e,f&activation=tanh&stage=act`.

The URL is the playground's whole state, so a teacher can link one layer. The server reads it
once, names every bad field (the page then answers 422 with the message, as `/` does) and hands
the page the values with each bad one replaced by its default; everything after that — the
stages, the tween, the drags — runs in the browser (static/js/playground/).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
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


def read_playground(query: Mapping[str, str]) -> tuple[PlaygroundState, list[dict[str, Any]]]:
    """The state the URL asks for, and one error per bad field (each field then its default)."""
    errors: list[dict[str, Any]] = []

    def fail(name: str, message: str) -> None:
        errors.append({"loc": ["query", name], "msg": message, "type": "value_error"})

    W, b = DEFAULT.W, DEFAULT.b
    if "W" in query:
        values, message = _numbers("W", query["W"], 4)
        if message:
            fail("W", message)
        else:
            W = values  # type: ignore[assignment]
    if "b" in query:
        values, message = _numbers("b", query["b"], 2)
        if message:
            fail("b", message)
        else:
            b = values  # type: ignore[assignment]
    activation = query.get("activation", DEFAULT.activation)
    if activation not in ACTIVATIONS:
        names = ", ".join(ACTIVATIONS)
        fail("activation", f"activation must be one of {names} (got {activation!r})")
        activation = DEFAULT.activation
    stage = query.get("stage", DEFAULT.stage)
    if stage not in STAGES:
        fail("stage", f"stage must be one of {', '.join(STAGES)} (got {stage!r})")
        stage = DEFAULT.stage
    return PlaygroundState(W=W, b=b, activation=activation, stage=stage), errors
