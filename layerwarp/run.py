"""One training run in a notebook: the engine's Trainer, kept between cells.

A run trains forward only, like the page's; checkpoints kept along the way let `snapshot(step)`
go back to any earlier step by replaying from the nearest one, which gives bitwise the numbers
the server's /api/snapshot replays to (app/engine/training.py explains why replays agree).
"""

import inspect
import numbers
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from app.engine.stages import layer_outputs
from app.engine.training import Step, Trainer
from app.engine.warp import Snapshot, run_metrics, snapshot
from app.explain import describe_errors, nearest, step_problem
from app.export.plain import plain
from app.presets import PRESETS, resolve
from app.schemas import FIELD_NAMES, TrainConfig

CURVE_EVERY = 5  # steps between the points of a learning curve, as the page's stream paces them
CHECKPOINT_EVERY = 100  # steps between kept checkpoints: a look back replays at most this many


class ConfigError(ValueError):
    """A bad field name, value, preset, stage or step, said in one line as the CLI says it."""


def config_from(preset: str | None, fields: dict[str, Any]) -> TrainConfig:
    """TrainConfig from a preset and fields, or ConfigError naming the fault (and the likely
    intended name for a typo)."""
    for name in fields:
        if name not in FIELD_NAMES:
            raise ConfigError(_unknown("field", name, FIELD_NAMES))
    if preset is not None and (not isinstance(preset, str) or preset not in PRESETS):
        raise ConfigError(_unknown("preset", preset, PRESETS))
    try:
        return resolve(preset, fields)
    except ValidationError as error:
        raise ConfigError(describe_errors(error)) from None


def whole(value: Any) -> bool:
    """An int proper: a float, a string or a bool for a step count is a slip, not a number
    to round (train(2.5) trained 3 steps, snapshot(1.5) gave step 2)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def runs(others: tuple[Any, ...], name: str) -> None:
    """The runs a figure sets beside this one, or ConfigError naming the one that is not."""
    for other in others:
        if not isinstance(other, Run):
            raise ConfigError(f"{name}: must be a layerwarp Run (got {other!r})")


def _unknown(what: str, name: Any, known: Any) -> str:
    near = nearest(name, known) if isinstance(name, str) else None
    hint = f" (did you mean {near!r}?)" if near else f"; known: {', '.join(known)}"
    return f"unknown {what} {name!r}{hint}"


def checked_stage(name: str, stages: list[str]) -> str:
    """A stage name as the page knows it (`input`, `1.W`, …, or `last`), resolved."""
    if not isinstance(name, str):
        raise ConfigError(f"stage: must be one of {', '.join([*stages, 'last'])} (got {name!r})")
    if name == "last":
        return stages[-1]
    if name not in stages:
        raise ConfigError(_unknown("stage", name, [*stages, "last"]))
    return name


@dataclass(frozen=True)
class CurvePoint:
    step: int
    metrics: dict[str, float]


class Run:
    """A run of the engine from TrainConfig's fields (optionally on top of a named `preset`).

    `lw.Run(preset="spiral2", layers=6)`; a bad field name or value raises ConfigError. A field
    left out takes the preset's value, else TrainConfig's default (the one the signature shows).
    """

    def __init__(self, preset: str | None = None, **fields: Any) -> None:
        self.config = config_from(preset, fields)
        self._trainer = Trainer(self.config)
        self._steps: Iterator[Step] = self._trainer.run()
        self._last = next(self._steps)  # step 0
        self._checkpoints: dict[int, dict[str, Any]] = {0: self._trainer.checkpoint()}
        self.curve: list[CurvePoint] = []
        self._record_curve()

    def __repr__(self) -> str:
        changed = {
            name: value
            for name, value in self.config.model_dump().items()
            if value != TrainConfig.model_fields[name].default
        }
        shown = ", ".join(f"{name}={value!r}" for name, value in changed.items())
        return f"Run({shown}) at step {self.step}" + (f" ({self.reason})" if self.reason else "")

    @property
    def step(self) -> int:
        """How far the run has trained."""
        return self._last.step

    @property
    def reason(self) -> str | None:
        """Why the run ended ("steps", "diverged", "converged"), None while it can go on."""
        return self._last.reason

    @property
    def stages(self) -> list[str]:
        """Every stage name in order, as the page and its URLs name them."""
        return [record.name for record, _ in self._trainer.network.stages(np.zeros((1, 2)))]

    @property
    def layer_outputs(self) -> list[str]:
        """The input, then the stage each layer hands on: a filmstrip's panels."""
        records = [record for record, _ in self._trainer.network.stages(np.zeros((1, 2)))]
        return [record.name for record in layer_outputs(records)]

    def train(self, steps: int | None = None) -> "Run":
        """Train `steps` more steps (None: to the run's end, `config.steps`); returns the run,
        so `lw.Run(...).train(500).figure()` reads as one line."""
        if steps is not None and (not whole(steps) or steps < 0):
            raise ConfigError(f"steps: must be a whole number, 0 or more (got {steps!r})")
        target = self.config.steps if steps is None else min(self.step + steps, self.config.steps)
        self._train_to(target)
        return self

    def _train_to(self, target: int) -> None:
        with np.errstate(all="ignore"):  # divergence is a reason, not a warning
            while self.step < target and self.reason is None:
                self._last = next(self._steps)
                if self._last.reason is None and self.step % CHECKPOINT_EVERY == 0:
                    self._checkpoints[self.step] = self._trainer.checkpoint()
                if self.step % CURVE_EVERY == 0 or self._last.reason:
                    self._record_curve()

    def _record_curve(self) -> None:
        metrics = run_metrics(self._trainer.network, self._trainer.data)
        if self.curve and self.curve[-1].step == self.step:  # a divergence ends on its last step
            self.curve.pop()
        self.curve.append(CurvePoint(self.step, metrics))

    def _checked_step(self, step: int | None) -> int:
        if step is None:
            return self.step
        if not whole(step):
            raise ConfigError(
                f"step: must be a whole number from 0 to {self.config.steps} (got {step!r})"
            )
        problem = step_problem(step, self.config.steps)
        if problem:
            raise ConfigError(problem)
        return step

    def engine_snapshot(self, step: int | None = None) -> Snapshot:
        """The engine's Snapshot at `step` (None: where the run is). A later step than the run
        has reached trains the run on to it; an earlier one is replayed from a checkpoint. A
        run that ended sooner gives its last step, as /api/snapshot does."""
        step = self._checked_step(step)
        self._train_to(step)
        if step >= self.step:  # there, or the run ended before it
            return self._snapshot_of(self._trainer, self._last)
        start = max(s for s in self._checkpoints if s <= step)
        replay = Trainer(self.config, data=self._trainer.data, checkpoint=self._checkpoints[start])
        with np.errstate(all="ignore"):
            for last in replay.run():
                if last.step >= step or last.reason:
                    return self._snapshot_of(replay, last)
        raise AssertionError("a replay always yields")  # pragma: no cover

    def _snapshot_of(self, trainer: Trainer, last: Step) -> Snapshot:
        with np.errstate(all="ignore"):
            return snapshot(
                trainer.network, trainer.data, last.step, self.config.l2, reason=last.reason
            )

    def snapshot(self, step: int | None = None) -> dict[str, Any]:
        """Step `step` as the plain JSON of /api/snapshot and `layerwarp snapshot --step`:
        every stage's grid and point positions, weights, metrics and probability fields."""
        return plain(self.engine_snapshot(step), self.config.model_dump())

    # The figures (layerwarp/figures.py and animate.py) are methods too, for tab completion.

    def figure(self, stage: str = "last", step: int | None = None, theme: str = "light"):
        """The warp view of one stage at one step: a plotly Figure (scatter3d for width 3)."""
        from layerwarp.figures import warp_figure

        return warp_figure(self, stage, step, theme)

    def animation(self, step: int | None = None, theme: str = "light"):
        """Every stage at `step`, with each W's in-between frames: play, pause and a slider."""
        from layerwarp.animate import animation_figure

        return animation_figure(self, step, theme)

    def filmstrip(self, step: int | None = None, theme: str = "light"):
        """The input and each layer's output side by side, at `step`."""
        from layerwarp.figures import filmstrip_figure

        return filmstrip_figure(self, step, theme)

    def compare(
        self, other: "Run", stage: str = "last", step: int | None = None, theme: str = "light"
    ):
        """This run and `other` side by side on one stage and step (default: the later of the
        two runs' steps), the settings that differ named in the title ("width 2 → 3")."""
        from layerwarp.figures import compare_figure

        runs((other,), "other")
        return compare_figure(self, other, stage, step, theme)

    def curves(self, *others: "Run", theme: str = "light"):
        """Loss and accuracy, train and test, over the steps trained so far (and of `others`)."""
        from layerwarp.figures import curves_figure

        runs(others, "others")
        return curves_figure([self, *others], theme)


def _signature() -> inspect.Signature:
    """Run(preset=None, *, dataset='spiral2', points=400, …): TrainConfig's fields with their
    defaults, so help(), tab completion and inspect show what a run takes."""
    fields = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info.default)
        for name, info in TrainConfig.model_fields.items()
    ]
    preset = inspect.Parameter("preset", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)
    return inspect.Signature([inspect.Parameter("self", 0), preset, *fields])


Run.__init__.__signature__ = _signature()  # type: ignore[attr-defined]
Run.__doc__ = (
    (Run.__doc__ or "")
    + "\n    Fields:\n"
    + "\n".join(
        f"      {name}: {info.description}" for name, info in TrainConfig.model_fields.items()
    )
)
