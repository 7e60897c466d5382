"""Update rules on one flat parameter vector; each optimizer overrides only `direction`."""

import math
from collections.abc import Callable

import numpy as np

Array = np.ndarray


class Optimizer:
    """Plain gradient descent: w ← w − α·∂E/∂w. Subclasses change the direction, not the step."""

    def __init__(self, size: int) -> None:
        self.t = 0

    def direction(self, grad: Array) -> Array:
        return grad

    def step(self, params: Array, grad: Array, lr: float) -> Array:
        """Return the new parameters (a new array, so a diverged step can be thrown away)."""
        self.t += 1
        return params - lr * self.direction(grad)

    def state(self) -> dict[str, Array | int]:
        return {"t": self.t}

    def load(self, state: dict[str, Array | int]) -> None:
        self.t = int(state["t"])


class Momentum(Optimizer):
    """Heavy-ball momentum: v ← βv + g, w ← w − α·v."""

    beta = 0.9

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.velocity = np.zeros(size)

    def direction(self, grad: Array) -> Array:
        self.velocity *= self.beta
        self.velocity += grad
        return self.velocity

    def state(self) -> dict[str, Array | int]:
        return {"t": self.t, "velocity": self.velocity.copy()}

    def load(self, state: dict[str, Array | int]) -> None:
        super().load(state)
        self.velocity = np.array(state["velocity"], dtype=float)


class Adam(Optimizer):
    """Adam with bias-corrected first and second moments (Kingma & Ba, 2015)."""

    beta1, beta2, eps = 0.9, 0.999, 1e-8

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.m = np.zeros(size)
        self.v = np.zeros(size)

    def direction(self, grad: Array) -> Array:
        # self.t was already advanced by step()
        self.m *= self.beta1
        self.m += (1 - self.beta1) * grad
        self.v *= self.beta2
        self.v += (1 - self.beta2) * (grad * grad)
        # m̂ / (√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), the scalars folded in
        denominator = np.sqrt(self.v)
        denominator *= 1.0 / math.sqrt(1 - self.beta2**self.t)
        denominator += self.eps
        return self.m * (1.0 / (1 - self.beta1**self.t)) / denominator

    def state(self) -> dict[str, Array | int]:
        return {"t": self.t, "m": self.m.copy(), "v": self.v.copy()}

    def load(self, state: dict[str, Array | int]) -> None:
        super().load(state)
        self.m = np.array(state["m"], dtype=float)
        self.v = np.array(state["v"], dtype=float)


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": Optimizer, "momentum": Momentum, "adam": Adam}


def _constant(base: float, step: int, total: int) -> float:
    return base


def _cosine(base: float, step: int, total: int) -> float:
    return base * 0.5 * (1.0 + math.cos(math.pi * (step - 1) / total))


SCHEDULES: dict[str, Callable[[float, int, int], float]] = {
    "constant": _constant,
    "cosine": _cosine,
}
"""α for update `step` (1-based) of `total`, by name; the config's allowed values come from here."""


def learning_rate(schedule: str, base: float, step: int, total: int) -> float:
    """α for update number `step` (1-based) of `total`."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; one of {', '.join(SCHEDULES)}")
    return SCHEDULES[schedule](base, step, total)
