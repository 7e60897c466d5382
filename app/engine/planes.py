"""The readout's class boundaries in a 3-D last space, as polygons: for each pair of classes
(i, j) the plane where their scores tie, cut to the box around the points and to where i and j
beat every other class. (The 2-D case is a segment: warp.py's `_segment_2d`.)

The page draws the same polygons from the readout in static/js/render/boundaries3d.js; the
notebook API (layerwarp) draws these.
"""

import numpy as np

Array = np.ndarray

# The box's 12 edges, as pairs of corner numbers; corner k takes hi on axis a when bit a is set.
EDGES = (
    (0, 1), (2, 3), (4, 5), (6, 7), (0, 2), (1, 3), (4, 6), (5, 7), (0, 4), (1, 5), (2, 6), (3, 7),
)  # fmt: skip


def _corners(lo: Array, hi: Array) -> Array:
    """(8, 3) corners of the box lo…hi."""
    bits = (np.arange(8)[:, None] >> np.arange(3)) & 1
    return np.where(bits == 1, hi, lo)


def plane_in_box(normal: Array, offset: float, lo: Array, hi: Array) -> Array:
    """(m, 3) corners, in order around the centre, of where normal·x + offset = 0 crosses the
    box; (0, 3) when it misses."""
    box = _corners(lo, hi)
    values = box @ normal + offset
    crossings = []
    for a, b in EDGES:
        if (values[a] < 0) != (values[b] < 0):
            s = values[a] / (values[a] - values[b])
            crossings.append(box[a] + s * (box[b] - box[a]))
    if len(crossings) < 3:
        return np.zeros((0, 3))
    points = np.array(crossings)
    centre = points.mean(axis=0)
    u = points[0] - centre  # an in-plane basis (u, v) to sort the corners by angle
    v = np.cross(normal, u)
    angles = np.arctan2((points - centre) @ v, (points - centre) @ u)
    return points[np.argsort(angles, kind="stable")]


def clip(polygon: Array, g: Array, h: float) -> Array:
    """The part of a convex polygon where g·x + h ≥ 0 (one Sutherland–Hodgman pass)."""
    out = []
    values = polygon @ g + h
    for k in range(len(polygon)):
        p, q = polygon[k], polygon[(k + 1) % len(polygon)]
        fp, fq = values[k], values[(k + 1) % len(polygon)]
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            out.append(p + fp / (fp - fq) * (q - p))
    return np.array(out).reshape(-1, 3)


def boundary_polygons(W: Array, b: Array, points: Array) -> list[tuple[int, int, Array]]:
    """(i, j, polygon (m, 3)) for each pair of classes whose boundary shows inside the box
    around `points` (n, 3); W: (K, 3), b: (K,)."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    out = []
    classes = len(W)
    for i in range(classes):
        for j in range(i + 1, classes):
            polygon = plane_in_box(W[i] - W[j], float(b[i] - b[j]), lo, hi)
            for k in range(classes):
                if k not in (i, j) and len(polygon):
                    polygon = clip(polygon, W[i] - W[k], float(b[i] - b[k]))
            if len(polygon) >= 3:
                out.append((i, j, polygon))
    return out
