// The readout's class boundaries in a 3-D last space: for each pair (i, j) the plane
// normal·x + offset = 0, cut to the box around the points and to where i and j beat every
// other class, as translucent mesh3d polygons.

const EDGES = [
  [0, 1], [2, 3], [4, 5], [6, 7], [0, 2], [1, 3], [4, 6], [5, 7], [0, 4], [1, 5], [2, 6], [3, 7],
];

const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Corners of the box lo…hi; corner k takes hi on axis a when bit a of k is set. */
function corners(lo, hi) {
  return Array.from({ length: 8 }, (_, k) => [0, 1, 2].map((a) => ((k >> a) & 1 ? hi[a] : lo[a])));
}

/** The polygon where the plane n·x + c = 0 crosses the box, in order around its centre. */
function planeInBox(n, c, lo, hi) {
  const box = corners(lo, hi);
  const points = [];
  for (const [a, b] of EDGES) {
    const fa = dot(n, box[a]) + c;
    const fb = dot(n, box[b]) + c;
    if ((fa < 0) !== (fb < 0)) {
      const s = fa / (fa - fb);
      points.push(box[a].map((v, i) => v + s * (box[b][i] - v)));
    }
  }
  if (points.length < 3) return [];
  const centre = [0, 1, 2].map((i) => points.reduce((sum, p) => sum + p[i], 0) / points.length);
  // an in-plane basis (u, v) to sort the corners by angle
  const u = points[0].map((v, i) => v - centre[i]);
  const v = [n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]];
  const angle = (p) => {
    const d = p.map((x, i) => x - centre[i]);
    return Math.atan2(dot(d, v), dot(d, u));
  };
  return points.sort((p, q) => angle(p) - angle(q));
}

/** Keep the part of a convex polygon where g·x + h ≥ 0 (one Sutherland–Hodgman pass). */
function clip(polygon, g, h) {
  const out = [];
  for (let k = 0; k < polygon.length; k++) {
    const p = polygon[k];
    const q = polygon[(k + 1) % polygon.length];
    const fp = dot(g, p) + h;
    const fq = dot(g, q) + h;
    if (fp >= 0) out.push(p);
    if ((fp >= 0) !== (fq >= 0)) {
      const s = fp / (fp - fq);
      out.push(p.map((x, i) => x + s * (q[i] - x)));
    }
  }
  return out;
}

/** mesh3d traces of the readout (W (K, 3), b (K)) within the bounds of `positions` (rows × 3). */
export function boundaryMeshes(readout, positions, colour) {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], positions[i + a]);
      hi[a] = Math.max(hi[a], positions[i + a]);
    }
  }
  const { W, b } = readout;
  const traces = [];
  for (let i = 0; i < W.length; i++) {
    for (let j = i + 1; j < W.length; j++) {
      const n = W[i].map((w, a) => w - W[j][a]);
      let polygon = planeInBox(n, b[i] - b[j], lo, hi);
      for (let k = 0; k < W.length && polygon.length; k++) {
        if (k === i || k === j) continue;
        polygon = clip(polygon, W[i].map((w, a) => w - W[k][a]), b[i] - b[k]);
      }
      if (polygon.length < 3) continue;
      traces.push({
        type: 'mesh3d', hoverinfo: 'skip', opacity: 0.25, color: colour, flatshading: true,
        x: polygon.map((p) => p[0]), y: polygon.map((p) => p[1]), z: polygon.map((p) => p[2]),
        i: polygon.slice(2).map(() => 0),
        j: polygon.slice(2).map((_, k) => k + 1),
        k: polygon.slice(2).map((_, k) => k + 2),
      });
    }
  }
  return traces;
}
