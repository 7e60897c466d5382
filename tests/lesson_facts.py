"""The facts the lessons claim about a picture, computed one way for two sources: the engine's
stage positions (tests/test_lessons.py) and what Plotly drew on the page
(tests/browser/test_lessons.py). Sharing them makes the two checks agree by construction.

Grids follow app.engine.warp.Grid: `lines` horizontal lines then `lines` vertical ones, each
`samples` vertices long.
"""

import numpy as np

Array = np.ndarray


def polylines(xs: list, ys: list, zs: list | None = None) -> list[Array]:
    """Plotly's line trace (null between lines) → one (samples, d) array per line."""
    columns = [xs, ys] if zs is None else [xs, ys, zs]
    lines, current = [], []
    for values in zip(*columns, strict=True):
        if values[0] is None:
            if current:
                lines.append(np.array(current, dtype=float))
            current = []
        else:
            current.append(values)
    if current:
        lines.append(np.array(current, dtype=float))
    return lines


def grid_lines(vertices: Array, samples: int) -> Array:
    """(lines · samples, d) grid vertices → (lines, samples, d)."""
    return vertices.reshape(-1, samples, vertices.shape[1])


def bend(line: Array) -> float:
    """Largest distance of a vertex from the chord, over the chord's length (0: straight)."""
    start, end = line[0], line[-1]
    chord = end - start
    length = float(np.linalg.norm(chord))
    offsets = line - start
    along = offsets @ chord / length**2
    off_chord = offsets - along[:, None] * chord
    return float(np.linalg.norm(off_chord, axis=1).max() / length)


def direction(line: Array) -> Array:
    chord = line[-1] - line[0]
    return chord / np.linalg.norm(chord)


def angle(u: Array, v: Array) -> float:
    """Angle in degrees between two undirected lines, 0 … 90."""
    cosine = min(1.0, abs(float(u @ v)))
    return float(np.degrees(np.arccos(cosine)))


def spread(lines: Array) -> float:
    """Largest angle (degrees) between the first line and any other: 0 when all are parallel."""
    first = direction(lines[0])
    return max(angle(first, direction(line)) for line in lines)


def turn(line: Array) -> float:
    """Largest turn (degrees) between consecutive segments of a polyline: its sharpest crease."""
    segments = np.diff(line, axis=0)
    lengths = np.linalg.norm(segments, axis=1)
    segments = segments[lengths > 1e-12] / lengths[lengths > 1e-12, None]
    cosines = np.clip((segments[:-1] * segments[1:]).sum(axis=1), -1.0, 1.0)
    return float(np.degrees(np.arccos(cosines)).max(initial=0.0))


def cell_areas(horizontal: Array) -> Array:
    """Signed areas of the cells between consecutive horizontal grid lines (lines, samples, 2)."""
    a, b = horizontal[:-1, :-1], horizontal[:-1, 1:]
    c, d = horizontal[1:, 1:], horizontal[1:, :-1]
    corners = [a, b, c, d]
    area = np.zeros(a.shape[:2])
    for k in range(4):
        p, q = corners[k], corners[(k + 1) % 4]
        area += p[..., 0] * q[..., 1] - q[..., 0] * p[..., 1]
    return area / 2


def one_to_one(horizontal: Array) -> bool:
    """Every cell keeps a non-zero area of one sign: nothing overlaps, nothing is flattened."""
    area = cell_areas(horizontal)
    scale = np.abs(area).max()
    return bool(
        scale > 0
        and (np.sign(area) == np.sign(area.flat[0])).all()
        and np.abs(area).min() > 1e-6 * scale
    )


def dead_units(pre_activation: Array) -> int:
    """Units whose input is ≤ 0 for every row: ReLU gives them 0 everywhere, and no gradient."""
    return int((pre_activation <= 0).all(axis=0).sum())


def plane_agreement(groups: list[Array], normal: Array, offset: float) -> float:
    """Share of two classes' points on their own side of the plane normal·x + offset = 0."""
    first, second = (np.sign(g @ normal + offset) for g in groups)
    agree = (first > 0).sum() + (second < 0).sum()
    total = len(first) + len(second)
    return max(agree, total - agree) / total


def own_corner(groups: list[Array]) -> float:
    """Share of points whose nearest class centre is their own class's."""
    centres = np.stack([g.mean(axis=0) for g in groups])
    hits = sum(
        int((np.linalg.norm(g[:, None] - centres[None], axis=2).argmin(axis=1) == c).sum())
        for c, g in enumerate(groups)
    )
    return hits / sum(len(g) for g in groups)
