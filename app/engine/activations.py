"""Each activation sits beside its derivative, so backprop never looks elsewhere.

`f(z, out)` writes σ(z) into `out` (training reuses buffers); `df(z, a)` is σ'(z), given
`a = σ(z)` because most derivatives are cheapest in terms of it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.1

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[Array, Array | None], Array]
    df: Callable[[Array, Array], Array]

    def __call__(self, z: Array) -> Array:
        return self.f(z, None)


def _sigmoid(z: Array, out: Array | None = None) -> Array:
    # σ(z) = (1 + tanh(z/2)) / 2: exact, and never overflows.
    out = np.tanh(z * 0.5, out=out)
    out += 1.0
    out *= 0.5
    return out


def _linear(z: Array, out: Array | None = None) -> Array:
    if out is None:
        return z.copy()
    out[...] = z
    return out


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation("tanh", lambda z, out=None: np.tanh(z, out=out), lambda z, a: 1.0 - a * a),
    "sigmoid": Activation("sigmoid", _sigmoid, lambda z, a: a * (1.0 - a)),
    "relu": Activation(
        "relu",
        lambda z, out=None: np.maximum(z, 0.0, out=out),
        lambda z, a: (z > 0).astype(z.dtype),
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        # max(z, 0.1·z) is z for z > 0 and 0.1·z otherwise, because the slope is below 1
        lambda z, out=None: np.maximum(z, LEAKY_SLOPE * z, out=out),
        lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
    ),
    "linear": Activation("linear", _linear, lambda z, a: np.ones_like(z)),
}


def get_activation(name: str) -> Activation:
    return ACTIVATIONS[name]
