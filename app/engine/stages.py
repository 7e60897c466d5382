"""Stage records: what a stage is — its layer, its kind and, for a tween frame, how far along.

A stage's name (`input`, `1.W`, `2.act`, `1.W~stretch@0.25`) is what URLs, lessons and people
type; it is made here from the record and parsed nowhere. Everything that needs to know what a
stage is reads the record, which travels beside the name on the wire, so the name format can
change in one place.
"""

from dataclasses import dataclass
from typing import Literal

LAYER_KINDS = ("W", "b", "act", "res")  # a hidden layer's stages, in order (res: residual nets)
TWEEN_KINDS = ("mirror", "stretch", "rotate")  # frames between a layer's input and its k.W
STAGE_KINDS = ("input", *LAYER_KINDS, *TWEEN_KINDS)
StageKind = Literal[STAGE_KINDS]  # type: ignore[valid-type]


@dataclass(frozen=True)
class StageRecord:
    """One stage: `layer` 0 is the input, k the k-th hidden layer; `t` is a stretch or rotate
    frame's fraction of the way (0, 1], None for every other kind."""

    name: str
    layer: int
    kind: str
    t: float | None = None

    @property
    def is_tween(self) -> bool:
        return self.kind in TWEEN_KINDS


def stage_record(layer: int, kind: str, t: float | None = None) -> StageRecord:
    """The record of `kind` in `layer`, with its URL-stable name: the one place names are made."""
    if kind not in STAGE_KINDS:
        raise ValueError(f"unknown stage kind {kind!r}; known: {', '.join(STAGE_KINDS)}")
    if kind in ("stretch", "rotate"):
        if t is None:
            raise ValueError(f"a {kind} frame needs its fraction t")
        return StageRecord(f"{layer}.W~{kind}@{t:.2f}", layer, kind, float(t))
    if t is not None:
        raise ValueError(f"a {kind} stage has no fraction t")
    if kind == "input":
        return StageRecord("input", 0, kind)
    if kind == "mirror":
        return StageRecord(f"{layer}.W~mirror", layer, kind)
    return StageRecord(f"{layer}.{kind}", layer, kind)


def stage_records(layers: int, residual: bool) -> list[StageRecord]:
    """Every stage of a net with `layers` hidden layers, in order: input, then per layer k.W,
    k.b, k.act (and k.res when residual). Tween frames come with each snapshot's weights."""
    kinds = LAYER_KINDS if residual else LAYER_KINDS[:-1]
    return [stage_record(0, "input")] + [
        stage_record(layer, kind) for layer in range(1, layers + 1) for kind in kinds
    ]


def layer_outputs(records: list[StageRecord]) -> list[StageRecord]:
    """The space each layer hands on — input, then each layer's last stage (k.act, or k.res in
    a residual net): what the next layer multiplies by its W. The last one is the last space,
    where the readout draws its lines."""
    out: dict[int, StageRecord] = {}
    for record in records:
        if not record.is_tween:
            out[record.layer] = record
    return [out[layer] for layer in sorted(out)]
