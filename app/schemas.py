"""The one vocabulary: CLI flags, query parameters and page URLs all use TrainConfig's names."""

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.engine.activations import ACTIVATIONS
from app.engine.custom_data import MAX_POINTS, RECORD, CustomDataError, decode_points
from app.engine.datasets import DATASETS
from app.engine.network import INITS
from app.engine.optimizers import OPTIMIZERS, SCHEDULES
from app.engine.stages import StageKind, stage_record

DATA_MAX_LENGTH = (MAX_POINTS * RECORD.itemsize * 4) // 3 + 4

# The allowed names are the engine's registries: a name added there is accepted here, and a
# name not there is a 422 rather than a silent fallback. ("custom" is points from the URL.)
DatasetName = Literal[(*DATASETS, "custom")]  # type: ignore[valid-type]
ActivationName = Literal[tuple(ACTIVATIONS)]  # type: ignore[valid-type]
InitName = Literal[tuple(INITS)]  # type: ignore[valid-type]
OptimizerName = Literal[tuple(OPTIMIZERS)]  # type: ignore[valid-type]
ScheduleName = Literal[tuple(SCHEDULES)]  # type: ignore[valid-type]


class TrainConfig(BaseModel):
    """Everything that determines a run; the same config and seed give the same run, bit for bit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: Annotated[DatasetName, Field(description="Which 2D data set to learn.")] = "spiral2"
    points: Annotated[int, Field(ge=20, le=5000, description="Points, train + test.")] = 400
    noise: Annotated[float, Field(ge=0, le=1, description="Jitter of the points.")] = 0.1
    turns: Annotated[float, Field(ge=0.25, le=3, description="Turns of each spiral arm.")] = 1.0
    label_noise: Annotated[
        float, Field(ge=0, le=0.5, description="Fraction of labels flipped at random.")
    ] = 0.0
    test_fraction: Annotated[
        float, Field(ge=0, le=0.9, description="Share of points held out for testing.")
    ] = 0.25
    seed: Annotated[int, Field(ge=0, le=2**31 - 1, description="Seed for data, init, batches.")] = 0

    layers: Annotated[int, Field(ge=0, le=16, description="Hidden layers; 0 is a perceptron.")] = 8
    width: Annotated[Literal[2, 3], Field(description="Units per hidden layer (2 or 3).")] = 2
    activation: Annotated[ActivationName, Field(description="σ of every hidden layer.")] = "tanh"
    residual: Annotated[bool, Field(description="a' = a + σ(W·a + b) instead of σ(W·a + b).")] = (
        False
    )
    init: Annotated[InitName, Field(description="How the weights start.")] = "orthogonal"

    optimizer: Annotated[OptimizerName, Field(description="Update rule.")] = "adam"
    lr: Annotated[float, Field(ge=1e-5, le=10, description="Learning rate α.")] = 0.02
    schedule: Annotated[ScheduleName, Field(description="Learning-rate schedule.")] = "cosine"
    batch_size: Annotated[
        int, Field(ge=0, le=5000, description="Mini-batch size; 0 is the full batch.")
    ] = 0
    l2: Annotated[float, Field(ge=0, le=1, description="L2 penalty l2·Σ‖W‖²/2.")] = 0.0
    steps: Annotated[int, Field(ge=1, le=20000, description="Training steps.")] = 2000

    @field_validator("*", mode="after")
    @classmethod
    def _one_zero(cls, value: Any) -> Any:
        """−0 and 0 are one value: `noise=-0` must not train and cache a second run."""
        return 0.0 if isinstance(value, float) and value == 0 else value

    @field_validator("width", mode="before")
    @classmethod
    def _width_from_text(cls, value: object) -> object:
        # CLI flags arrive as text, and pydantic will not read "3" as the literal 3
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value

    data: Annotated[
        str | None,
        Field(
            max_length=DATA_MAX_LENGTH,
            validate_default=True,
            description="Your own points when dataset=custom: the compact form in the README "
            f"(base64url records of int16 x, int16 y, uint8 label; at most {MAX_POINTS}).",
        ),
    ] = None

    @field_validator("batch_size")
    @classmethod
    def _batch_within_points(cls, value: int, info: ValidationInfo) -> int:
        points = info.data.get("points")
        if points is not None and value > points:
            raise ValueError(f"must be 0 (full batch) or between 1 and points ({points})")
        return value

    @field_validator("data")
    @classmethod
    def _data_only_for_custom(cls, value: str | None, info: ValidationInfo) -> str | None:
        dataset = info.data.get("dataset")
        if dataset != "custom":
            return None  # only custom runs carry points; keeps configs and URLs canonical
        if not value:
            raise ValueError("dataset=custom needs data: the points, in the compact form")
        try:
            decode_points(value)
        except CustomDataError as error:
            raise ValueError(str(error)) from None
        return value

    @property
    def classes(self) -> int:
        if self.dataset == "custom" and self.data:
            return 3 if (decode_points(self.data)[1] == 2).any() else 2
        return 3 if self.dataset == "spiral3" else 2


FIELD_NAMES: tuple[str, ...] = tuple(TrainConfig.model_fields)

# no run goes beyond its longest `steps`
MAX_STEP = next(m.le for m in TrainConfig.model_fields["steps"].metadata if hasattr(m, "le"))


# --- The wire: the events of /api/stream (docs/wire.md explains them; tests check both agree) ---

Number = float | None
"""A finite float, or null where the value was not finite (JSON has no NaN)."""


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GridInfo(_Wire):
    lines: int = Field(description="grid lines per direction")
    samples: int = Field(description="vertices per line")
    extent: float = Field(description="the grid spans [-extent, extent] on both axes")
    count: int = Field(description="2 * lines * samples vertices")
    vertices: str | None = Field(
        None,
        description="only with positions=1: base64 float32le (count, 2). Otherwise computed by "
        "the reader: line l, sample s at (-e + s·(2e/(S-1)), -e + l·(2e/(L-1))), the last tick "
        "exactly e; horizontal lines first, a line's vertices consecutive",
    )


class FieldInfo(_Wire):
    size: int = Field(description="probability fields are size x size lattices")
    extents: dict[str, float] = Field(description="window name -> half width (data, wide)")


class StageRecord(_Wire):
    """What a stage is, beside its URL-stable name: made by app/engine/stages.py, so no reader
    ever parses a name."""

    name: str = Field(
        description="as URLs and lessons name it: input, k.W, k.b, k.act, k.res; tween frames "
        "k.W~mirror, k.W~stretch@t, k.W~rotate@t"
    )
    layer: int = Field(description="0 for input, else the hidden layer k the stage belongs to")
    kind: StageKind = Field(
        description="input, W, b, act, res, or a tween's mirror, stretch, rotate"
    )
    t: float | None = Field(
        description="how far along its stretch or rotation a tween frame is, in (0, 1]; else null"
    )

    @model_validator(mode="after")
    def _name_is_the_records(self) -> "StageRecord":
        made = stage_record(self.layer, self.kind, self.t).name
        if made != self.name:
            raise ValueError(f"stage {self.name!r} has the record of {made!r}")
        return self


class MetaEvent(_Wire):
    """`event: meta`, first and once: everything about the run that does not change."""

    version: str
    config: TrainConfig
    classes: int
    n_train: int
    n_test: int
    labels: list[int] = Field(description="train then test")
    dims: Literal[2, 3] = Field(description="dimension of every stage after input")
    positions: bool = Field(
        description="false: snapshots carry the maps and the reader computes every stage; "
        "true (positions=1): snapshots carry the σ stages' positions too"
    )
    points: str = Field(
        description="input positions (n, 2), train then test: base64 float64le, or float32le "
        "with positions=1"
    )
    grid: GridInfo
    stages: list[str] = Field(description="every stage name in order: input, k.W, k.b, k.act…")
    stage_records: list[StageRecord] = Field(description="each of `stages`, as its record")
    tween_records: list[list[StageRecord]] = Field(
        description="per hidden layer, the records of the frames into its k.W, in order; the "
        "mirror frame (first) is shown only when det W < 0"
    )
    sent_stages: list[str] = Field(description="the stages whose positions travel in snapshots")
    maths: "Maths"
    field: FieldInfo
    every: int
    rate: float
    encoding: dict[str, str] = Field(description="the rules below, in short")


class EncodedStage(StageRecord):
    clipped: bool = Field(description="some positions were not finite and were clipped")
    lo: list[float]
    hi: list[float]
    q: str = Field(
        description="int16le, per-stage per-axis lo/hi: x = lo + (q + 32768) * (hi - lo) / 65535; "
        "rows are grid vertices, then train points, then test points, d values per row"
    )


class Maths(_Wire):
    """The engine's numbers the reader's forward pass needs (app/engine), so none is retyped."""

    activation: str = Field(description="σ of every hidden layer (config.activation)")
    leaky_slope: float = Field(description="leaky_relu(z) = max(z, slope·z)")
    position_limit: float = Field(
        description="a stage with any coordinate beyond ±limit (or not finite) is shown clipped "
        "to it, NaN as 0; the next layer still reads the unclipped values"
    )
    collapse_ratio: float = Field(description="σ_min/σ_max below this: a layer flattens space")
    stretch_frames: int
    rotate_frames: int


F64 = Field(description="base64 float64le, row-major; W is (out, in), b (out,)")


class LayerRecord(_Wire):
    W: str = F64
    b: str = F64
    det: Number
    singular_values: list[Number]
    collapsed: bool
    grad_norm_W: Number
    grad_norm_b: Number
    grad_W: list[list[Number]] | None = Field(
        None, description="∂E/∂W on the training set: only in /api/snapshot?form=wire"
    )
    grad_b: list[Number] | None = Field(None, description="∂E/∂b, likewise")


class Boundary(_Wire):
    classes: list[int]
    normal: list[Number]
    offset: Number
    segment: list[list[Number]] | None


class Readout(_Wire):
    W: str = F64
    b: str = F64
    grad_norm_W: Number
    boundaries: list[Boundary]
    grad_W: list[list[Number]] | None = Field(None, description="as in layers")
    grad_b: list[Number] | None = None


class TweenRecord(StageRecord):
    M: list[list[Number]] = Field(
        description="with positions=1: a tween frame's positions are prev @ M.T (6 digits)"
    )


class ProbabilityField(_Wire):
    extent: float
    size: int
    q: str = Field(
        description="uint8 row-major [y][x][class], classes 0..K-2; p_last = 1 - sum; p = q / 255"
    )
    reaches_edge: list[bool]


class LinearRegions(_Wire):
    """The input window's linear regions (relu and leaky_relu nets only; app/engine/regions.py)."""

    extent: float = Field(description="the lattice spans [-extent, extent]²")
    size: int = Field(description="lattice points per side")
    count: int = Field(description="distinct on/off patterns of the hidden units on the lattice")
    q: str = Field(
        description="uint8 row-major [y][x]: region id in order of first appearance; "
        "255 also stands for every region after the 255th"
    )


STAGES_RULE = (
    "a = input (grid vertices, then points); per layer k: k.W = a @ W.T, k.b = k.W + b, "
    "k.act = σ(k.b), k.res = k.act + a (a zero-padded); a = the layer's last stage; "
    "tween frames = a @ M.T"
)


class SnapshotEvent(_Wire):
    """`event: snapshot`, `id:` = its training step: the maps, from which the reader computes
    every stage (STAGES_RULE), and what is drawn beside them."""

    step: int
    reason: Literal["steps", "diverged", "converged"] | None
    metrics: dict[Literal["loss_train", "loss_test", "acc_train", "acc_test"], Number]
    layers: list[LayerRecord]
    readout: Readout
    stages: list[EncodedStage] | None = Field(None, description="only with positions=1")
    tweens: list[TweenRecord] | None = Field(None, description="only with positions=1")
    separability: list[Number] = Field(description="input, layer 1, …, layer L")
    probability: dict[str, ProbabilityField]
    regions: LinearRegions | None = None


class DoneEvent(_Wire):
    """`event: done`: the run ended; the client must not reconnect."""

    reason: Literal["steps", "diverged", "converged", "duration"]
    step: int
    message: str


class ErrorEvent(_Wire):
    """`event: error`: the run failed after the stream started; the stream then ends."""

    message: str


MetaEvent.model_rebuild()


def wire_encoding() -> dict[str, str]:
    """The short rules sent in `meta.encoding`, taken from the models' own descriptions."""
    described = {
        "positions": EncodedStage.model_fields["q"],
        "probability": ProbabilityField.model_fields["q"],
        "maps": LayerRecord.model_fields["W"],
        "derived": TweenRecord.model_fields["M"],
    }
    rules = {name: field.description or "" for name, field in described.items()}
    return {"stages": STAGES_RULE, **rules}
