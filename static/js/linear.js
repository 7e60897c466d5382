// A network whose every layer is affine (no hidden layer, or σ = linear) is one affine map of
// the plane, so its decision boundaries in the input space are exact straight lines. This finds
// that map from a snapshot's weights, so the input view can draw the line itself rather than a
// contour traced through a coarse lattice of probabilities.

/** logits = W·x + b for every x of the plane, with W (K, 2), b (K); null if σ bends anything. */
export function affineModel(snapshot) {
  const { config } = snapshot.meta;
  if (config.layers && config.activation !== 'linear') return null;
  // a = A·x + c, with A (d, 2) and c (d), from the input (the identity) through every layer
  let A = [[1, 0], [0, 1]];
  let c = [0, 0];
  for (const layer of snapshot.layers) {
    const { W, b } = layer;
    const nextA = W.map((row) => [0, 1].map((j) => row.reduce((sum, w, k) => sum + w * A[k][j], 0)));
    const nextC = W.map((row, i) => row.reduce((sum, w, k) => sum + w * c[k], b[i]));
    if (config.residual) { // a + W·a + b, the input zero-padded to the layer's width
      A.forEach((row, k) => row.forEach((v, j) => { nextA[k][j] += v; }));
      c.forEach((v, k) => { nextC[k] += v; });
    }
    A = nextA;
    c = nextC;
  }
  const { W, b } = snapshot.readout;
  return {
    W: W.map((row) => [0, 1].map((j) => row.reduce((sum, w, k) => sum + w * A[k][j], 0))),
    b: W.map((row, i) => row.reduce((sum, w, k) => sum + w * c[k], b[i])),
  };
}

/**
 * The part of each class pair's line (W_i − W_j)·x + (b_i − b_j) = 0 inside the square
 * [−extent, extent]² where i and j beat every other class: one segment per pair, as one
 * polyline with null between segments (Plotly's form).
 */
export function boundarySegments({ W, b }, extent) {
  const x = [];
  const y = [];
  for (let i = 0; i < W.length; i++) {
    for (let j = i + 1; j < W.length; j++) {
      const n = [W[i][0] - W[j][0], W[i][1] - W[j][1]];
      const offset = b[i] - b[j];
      const norm = Math.hypot(n[0], n[1]);
      if (!(norm > 1e-12)) continue;
      const origin = [-offset * n[0] / norm ** 2, -offset * n[1] / norm ** 2];
      const along = [-n[1] / norm, n[0] / norm];
      // each condition reads value + slope·t ≥ 0 along origin + t·along
      const conditions = [];
      for (let axis = 0; axis < 2; axis++) {
        conditions.push([origin[axis] + extent, along[axis]], [extent - origin[axis], -along[axis]]);
      }
      for (let k = 0; k < W.length; k++) {
        if (k === i || k === j) continue;
        const g = [W[i][0] - W[k][0], W[i][1] - W[k][1]];
        conditions.push([g[0] * origin[0] + g[1] * origin[1] + b[i] - b[k], g[0] * along[0] + g[1] * along[1]]);
      }
      let lo = -Infinity;
      let hi = Infinity;
      let empty = false;
      for (const [value, slope] of conditions) {
        if (Math.abs(slope) < 1e-15) empty ||= value < 0;
        else if (slope > 0) lo = Math.max(lo, -value / slope);
        else hi = Math.min(hi, -value / slope);
      }
      if (empty || !(lo < hi)) continue;
      for (const t of [lo, hi]) {
        x.push(origin[0] + t * along[0]);
        y.push(origin[1] + t * along[1]);
      }
      x.push(null);
      y.push(null);
    }
  }
  return { x, y };
}
