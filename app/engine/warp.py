"""Snapshots: where the grid and the data points sit after every stage, and what the net says.

A snapshot is everything the page draws for one training step. Arrays keep the (n, d) shape
convention; `app.export.plain` turns one into JSON-ready lists for the CLI and the plain API,
and `app.engine.frames` lists the frames an animation shows.
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from app.engine.datasets import Split
from app.engine.linalg import singular_values
from app.engine.network import Network, one_hot, softmax
from app.engine.regions import Regions, linear_regions
from app.engine.separability import linear_separability
from app.engine.stages import StageRecord, layer_outputs
from app.engine.tweens import tween_matrices

Array = np.ndarray

DATA_EXTENT = 1.25  # the data sits in about [-1, 1]²; the grid and field add a margin
WIDE_FACTOR = 3.0  # the zoomed-out window for extrapolation
GRID_LINES = 11  # lines in each direction
GRID_SAMPLES = 33  # vertices along each line: enough for σ's bends to look smooth
FIELD_SIZE = 33  # probability lattice is FIELD_SIZE × FIELD_SIZE
VALUE_LIMIT = 1e30  # other numbers (dets, gradient norms, logits) are clipped here
POSITION_LIMIT = 1e4  # positions beyond this are clipped (and flagged), never inf or NaN
COLLAPSE_RATIO = 1e-3  # smallest/largest singular value below this: the layer flattens space


@dataclass(frozen=True)
class Grid:
    """Straight lines over the square [-extent, extent]²: `lines` each way, `samples` per line."""

    lines: int = GRID_LINES
    samples: int = GRID_SAMPLES
    extent: float = DATA_EXTENT

    def vertices(self) -> Array:
        """(2·lines·samples, 2): horizontal lines first, each line's vertices consecutive."""
        return _grid_vertices(self.lines, self.samples, self.extent)


@cache
def _grid_vertices(lines: int, samples: int, extent: float) -> Array:
    ticks = np.linspace(-extent, extent, lines)
    along = np.linspace(-extent, extent, samples)
    fixed = np.repeat(ticks, samples)
    moving = np.tile(along, lines)
    vertices = np.concatenate([np.column_stack([moving, fixed]), np.column_stack([fixed, moving])])
    vertices.flags.writeable = False  # cached and shared
    return vertices


@cache
def lattice(extent: float, size: int = FIELD_SIZE) -> Array:
    """(size², 2) points of a square lattice, row-major with y the slow index."""
    ticks = np.linspace(-extent, extent, size)
    xx, yy = np.meshgrid(ticks, ticks)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    points.flags.writeable = False  # cached and shared
    return points


@dataclass
class Stage:
    record: StageRecord  # what the stage is; its name is record.name
    grid: Array  # (grid vertices, d)
    points: Array  # (n_train + n_test, d)
    clipped: bool = False

    @property
    def name(self) -> str:
        return self.record.name


@dataclass(frozen=True)
class Tween:
    """A frame between a layer's input `a` and its k.W stage: positions `a @ matrix.T`."""

    record: StageRecord
    matrix: Array  # (d, d)


@dataclass
class Snapshot:
    step: int
    metrics: dict[str, float]
    stages: list[Stage]
    tweens: list[Tween]
    layers: list[dict[str, Any]]
    readout: dict[str, Any]
    separability: list[float]
    probability: dict[str, Any]
    labels: Array
    n_train: int
    reason: str | None = None
    regions: Regions | None = None  # relu / leaky_relu nets: linear regions of the input plane
    extras: dict[str, Any] = field(default_factory=dict)


def finite_positions(positions: Array) -> tuple[Array, bool]:
    """Positions with NaN/inf/huge values clipped to ±POSITION_LIMIT, and whether any were."""
    if np.abs(positions).max(initial=0.0) <= POSITION_LIMIT:  # False for NaN too
        return positions, False
    safe = np.nan_to_num(positions, nan=0.0, posinf=POSITION_LIMIT, neginf=-POSITION_LIMIT)
    return np.clip(safe, -POSITION_LIMIT, POSITION_LIMIT), True


def _finite_number(value: float) -> float:
    """A float that JSON and float32 can carry: NaN → 0, overflow clipped to ±VALUE_LIMIT."""
    value = float(value)
    if value != value:  # NaN
        return 0.0
    return max(-VALUE_LIMIT, min(VALUE_LIMIT, value))


def _probabilities(logits: Array) -> Array:
    """Softmax that stays finite when a diverged net's logits overflow to inf or NaN."""
    return softmax(np.nan_to_num(logits, nan=0.0, posinf=VALUE_LIMIT, neginf=-VALUE_LIMIT))


def _metrics(p: Array, data: Split) -> dict[str, float]:
    """Loss and accuracy from the class probabilities `p` (n_train + n_test, K) of all points."""
    out: dict[str, float] = {}
    n_train = len(data.y_train)
    for part, p_part, y in (
        ("train", p[:n_train], data.y_train),
        ("test", p[n_train:], data.y_test),
    ):
        if len(y) == 0:
            out[f"loss_{part}"], out[f"acc_{part}"] = 0.0, 0.0
            continue
        p = p_part
        out[f"loss_{part}"] = float(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-300)).mean())
        out[f"acc_{part}"] = float((p.argmax(axis=1) == y).mean())
    return out


def run_metrics(network: Network, data: Split) -> dict[str, float]:
    """Loss and accuracy on the training and test points, without the rest of a snapshot: what
    a learning curve plots between snapshots (the notebook API's `curves`)."""
    with np.errstate(all="ignore"):  # a diverged net's logits: _probabilities keeps them finite
        return _metrics(_probabilities(network.forward(data.X)[3].T), data)


def _layer_facts(network: Network) -> list[dict[str, Any]]:
    facts = []
    if not network.hidden:
        return facts
    # every layer but the first has the same shape; batch the square ones
    singulars = [singular_values(network.W[0])]
    dets = [float(np.linalg.det(network.W[0])) if network.W[0].shape[0] == 2 else None]
    if network.hidden > 1:
        rest = np.stack(network.W[1 : network.hidden])
        singulars += list(singular_values(rest))
        dets += [float(d) for d in np.linalg.det(rest)]
    for k in range(network.hidden):
        W = network.W[k]
        singular = singulars[k]
        facts.append(
            {
                "W": W.copy(),
                "b": network.b[k].copy(),
                "activation": network.layout.activation,
                "det": None if dets[k] is None else _finite_number(dets[k]),
                "singular_values": singular,
                "collapsed": bool(singular[-1] <= COLLAPSE_RATIO * max(singular[0], 1e-300)),
                "grad_W": finite_positions(network.gW[k].copy())[0],  # ∂E/∂W, full training set
                "grad_b": finite_positions(network.gb[k].copy())[0],
                "grad_norm_W": _finite_number(np.linalg.norm(network.gW[k])),
                "grad_norm_b": _finite_number(np.linalg.norm(network.gb[k])),
            }
        )
    return facts


def _segment_2d(normal: Array, offset: float, box: Array, others: list[tuple[Array, float]]):
    """Part of the line normal·x + offset = 0 inside `box` where the pair beats `others`.

    Each other class adds a half-plane condition (linear along the line), so the visible part
    is one interval of the line's parameter.
    """
    # the line is unchanged by scaling its equation; scaling keeps huge weights from overflowing
    scale = max(float(np.abs(normal).max(initial=0.0)), abs(offset))
    if not np.isfinite(scale) or scale == 0.0:
        return None
    normal, offset = normal / scale, offset / scale
    others = [(g / scale, c / scale) for g, c in others]
    norm = np.linalg.norm(normal)
    if norm < 1e-12:
        return None
    origin = -offset * normal / norm**2
    direction = np.array([-normal[1], normal[0]]) / norm
    lo, hi = -np.inf, np.inf
    constraints = []
    for axis in range(2):  # stay inside the box
        constraints.append((direction[axis], origin[axis] - box[0, axis]))
        constraints.append((-direction[axis], box[1, axis] - origin[axis]))
    constraints += [(float(g @ direction), float(g @ origin + c)) for g, c in others]
    for slope, value in constraints:  # need value + slope·t ≥ 0
        if abs(slope) < 1e-15:
            if value < 0:
                return None
        elif slope > 0:
            lo = max(lo, -value / slope)
        else:
            hi = min(hi, -value / slope)
    if not lo < hi:
        return None
    return np.array([origin + lo * direction, origin + hi * direction])


def _boundaries(W: Array, b: Array, last: Array) -> list[dict[str, Any]]:
    """Pairwise class boundaries of the readout in the last space, clipped to the drawn region."""
    classes, dim = W.shape
    box = np.array([last.min(axis=0), last.max(axis=0)])
    pad = 0.1 * (box[1] - box[0]).max(initial=0.0) + 1e-6
    box = box + np.array([[-pad], [pad]])
    out = []
    for i in range(classes):
        for j in range(i + 1, classes):
            normal, offset = W[i] - W[j], float(b[i] - b[j])
            entry: dict[str, Any] = {"classes": [i, j], "normal": normal, "offset": offset}
            if dim == 2:
                # class i must beat every other class k: (W_i − W_k)·x + (b_i − b_k) ≥ 0
                others = [
                    (W[i] - W[k], float(b[i] - b[k])) for k in range(classes) if k not in (i, j)
                ]
                entry["segment"] = _segment_2d(normal, offset, box, others)
            out.append(entry)
    return out


def _probability_field(p: Array, extent: float) -> dict[str, Any]:
    """`p` holds the class probabilities (size², K) on `lattice(extent)`."""
    p = p.reshape(FIELD_SIZE, FIELD_SIZE, -1)
    winner = p.argmax(axis=2)
    edge = np.concatenate([winner[0], winner[-1], winner[:, 0], winner[:, -1]])
    classes = p.shape[2]
    return {
        "extent": extent,
        "size": FIELD_SIZE,
        "values": p,  # (size, size, K): [row = y index][column = x index][class]
        "reaches_edge": [bool((edge == c).any()) for c in range(classes)],
    }


def snapshot(
    network: Network,
    data: Split,
    step: int,
    l2: float = 0.0,
    grid: Grid | None = None,
    reason: str | None = None,
) -> Snapshot:
    """Everything drawn for one step. Computes full-batch gradients for the layer facts."""
    grid = grid or Grid()
    net = network.copy()
    net.loss_and_grad(data.X_train, one_hot(data.y_train, data.classes), l2)
    grid_vertices = grid.vertices()
    n_grid = len(grid_vertices)
    wide = grid.extent * WIDE_FACTOR
    stages = []
    for record, positions in net.stages(np.concatenate([grid_vertices, data.X])):
        safe, clipped = finite_positions(positions)
        stages.append(Stage(record, safe[:n_grid], safe[n_grid:], clipped))
        last = positions
    readout_W, readout_b = net.W[-1].copy(), net.b[-1].copy()
    p_points = _probabilities((last @ readout_W.T + readout_b)[n_grid:])
    # The fields are only drawn (as uint8 on the wire): float32 is precise enough and faster.
    lattices = np.concatenate([lattice(grid.extent), lattice(wide)]).astype(np.float32)
    p_fields = network.copy(np.float32).predict_proba(lattices).astype(np.float64)
    if not np.isfinite(p_fields).all():  # float32 overflowed (a diverging net): redo in float64
        p_fields = _probabilities(net.forward(lattices.astype(np.float64))[3].T)
    n_train = len(data.y_train)
    by_record = {s.record: s for s in stages}
    outputs = [by_record[record] for record in layer_outputs([s.record for s in stages])]
    spaces = np.stack([s.points[:n_train] for s in outputs])
    separability = [float(v) for v in linear_separability(spaces, data.y_train, data.classes)]
    metrics = _metrics(p_points, data)
    separability[-1] = max(separability[-1], metrics["acc_train"])  # the readout is linear too
    tweens = [
        Tween(record, matrix)
        for frames in tween_matrices(net.W[: net.hidden])
        for record, matrix in frames
    ]
    n_field = FIELD_SIZE * FIELD_SIZE
    return Snapshot(
        step=step,
        metrics=metrics,
        stages=stages,
        tweens=tweens,
        layers=_layer_facts(net),
        readout={
            "W": readout_W,
            "b": readout_b,
            "grad_W": finite_positions(net.gW[-1].copy())[0],
            "grad_b": finite_positions(net.gb[-1].copy())[0],
            "grad_norm_W": _finite_number(np.linalg.norm(net.gW[-1])),
            "boundaries": _boundaries(readout_W, readout_b, outputs[-1].points),
        },
        separability=separability,
        probability={
            "data": _probability_field(p_fields[:n_field], grid.extent),
            "wide": _probability_field(p_fields[n_field:], wide),
        },
        labels=data.y,
        n_train=n_train,
        reason=reason,
        regions=linear_regions(net, grid.extent),
    )
