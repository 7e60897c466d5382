// The page's one maths module: σ, the affine step, the forward pass through every stage, the
// tween matrices and the readout's boundary segments — what app/engine computes, in the same
// order of operations, so the page draws from the streamed W and b what the engine would have
// sent (tests/browser/test_maths.py holds every stage of every preset to /api/snapshot, 1e-9).
// Its numbers (σ's slope, frame counts, the clip limit) come from the server (constants.js).
// Points are flat Float64Arrays, rows × d; matrices are row-major arrays of rows.

import { CONSTANTS } from './constants.js';
import { tweenFrames3d as frames3d } from './maths3.js';

export const {
  leakySlope: LEAKY_SLOPE,
  collapseRatio: COLLAPSE_RATIO,
  positionLimit: POSITION_LIMIT,
  stretchFrames: STRETCH_FRAMES,
  rotateFrames: ROTATE_FRAMES,
  latticeSize: LATTICE_SIZE,
  tweenKinds: TWEEN_KINDS,
} = CONSTANTS.maths;

/** σ by the engine's names (app/engine/activations.py), each written as the engine writes it. */
export const ACTIVATIONS = {
  tanh: Math.tanh,
  // σ(z) = (1 + tanh(z/2)) / 2: exact and never overflows
  sigmoid: (z) => (Math.tanh(z * 0.5) + 1) * 0.5,
  relu: (z) => Math.max(z, 0),
  leaky_relu: (z) => Math.max(z, LEAKY_SLOPE * z),
  linear: (z) => z,
};

/** rows × `to` copy of rows × `from` positions, zero-padded or truncated. */
export function lift(positions, from, to) {
  if (from === to) return positions;
  const rows = positions.length / from;
  const out = new Float64Array(rows * to);
  const keep = Math.min(from, to);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < keep; j++) out[r * to + j] = positions[r * from + j];
  }
  return out;
}

/** positions (rows × M's columns) · Mᵀ, then + bias when given (two roundings, as NumPy's
 * `a @ W.T + b`). */
export function affine(positions, M, bias = null, out = null) {
  const outDim = M.length;
  const inDim = M[0].length;
  const rows = positions.length / inDim;
  out ??= new Float64Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < outDim; i++) {
      let sum = 0;
      for (let j = 0; j < inDim; j++) sum += positions[r * inDim + j] * M[i][j];
      out[r * outDim + i] = bias ? sum + bias[i] : sum;
    }
  }
  return out;
}

/** σ of every coordinate, into `out`. */
export function activate(positions, activation, out = new Float64Array(positions.length)) {
  const sigma = ACTIVATIONS[activation];
  for (let i = 0; i < positions.length; i++) out[i] = sigma(positions[i]);
  return out;
}

/**
 * One hidden layer's stages from its input `a` (rows × `inDim`), as Network.stages:
 * {W: a·Wᵀ, b: + b, act: σ, res: act + a zero-padded (residual nets only)}. The next layer
 * reads `res` (residual) or `act`.
 */
export function layerStages(a, inDim, { W, b }, { activation, residual }) {
  const moved = affine(a, W);
  const shifted = affine(a, W, b);
  const bent = activate(shifted, activation);
  const out = { W: moved, b: shifted, act: bent };
  if (residual) {
    const width = W.length;
    const res = new Float64Array(bent.length);
    for (let i = 0; i < bent.length; i++) {
      const j = i % width;
      res[i] = bent[i] + (j < inDim ? a[(i - j) / width * inDim + j] : 0);
    }
    out.res = res;
  }
  return out;
}

/** Positions as the engine shows them (warp.py's finite_positions): unchanged when every value
 * is within ±POSITION_LIMIT, else NaN → 0 and the rest clipped; and whether any were. */
export function finitePositions(positions) {
  let largest = 0;
  for (const v of positions) {
    const size = Math.abs(v);
    if (!(size <= largest)) largest = size; // NaN too
  }
  if (largest <= POSITION_LIMIT) return { positions, clipped: false };
  const out = positions.map((v) => (Number.isNaN(v) ? 0 : Math.min(POSITION_LIMIT, Math.max(-POSITION_LIMIT, v))));
  return { positions: out, clipped: true };
}

/** app/engine/warp.py's Grid: `lines` lines each way over [−extent, extent]², horizontal first;
 * ticks as np.linspace makes them (−e + i·step, the last exactly e). */
export function gridVertices(lines, samples, extent) {
  const ticks = (n) => Array.from({ length: n }, (_, i) => (i === n - 1 ? extent : i * ((2 * extent) / (n - 1)) + -extent));
  const along = ticks(samples);
  const fixed = ticks(lines);
  const out = new Float64Array(2 * lines * samples * 2);
  let o = 0;
  for (const horizontal of [true, false]) {
    for (let l = 0; l < lines; l++) {
      for (let s = 0; s < samples; s++) {
        out[o++] = horizontal ? along[s] : fixed[l];
        out[o++] = horizontal ? fixed[l] : along[s];
      }
    }
  }
  return out;
}

// --- 2 × 2 matrices: the tweens of a plane layer, in closed form --------------------------------

export const det = (W) => W[0][0] * W[1][1] - W[0][1] * W[1][0];
const mul = (A, B) => [
  [A[0][0] * B[0][0] + A[0][1] * B[1][0], A[0][0] * B[0][1] + A[0][1] * B[1][1]],
  [A[1][0] * B[0][0] + A[1][1] * B[1][0], A[1][0] * B[0][1] + A[1][1] * B[1][1]],
];
const transpose = (A) => [[A[0][0], A[1][0]], [A[0][1], A[1][1]]];
const rotation = (angle) => [[Math.cos(angle), -Math.sin(angle)], [Math.sin(angle), Math.cos(angle)]];
const IDENTITY = [[1, 0], [0, 1]];

/** Singular values [largest, smallest] of a 2×2 matrix, in closed form. */
export function singularValues(W) {
  const [[a, b], [c, d]] = W;
  const sum = Math.hypot(a + d, c - b); // σ1 + σ2
  const diff = Math.hypot(a - d, c + b); // σ1 − σ2
  return [(sum + diff) / 2, Math.abs(sum - diff) / 2];
}

/** What W does to the plane's orientation: 'collapses' (rank < 2 in practice), 'mirrors', 'keeps'. */
export function orientation(W) {
  const [large, small] = singularValues(W);
  if (!(large > 0) || small / large < COLLAPSE_RATIO) return 'collapses';
  return det(W) < 0 ? 'mirrors' : 'keeps';
}

/**
 * W = R·P·F: a rotation R, a symmetric stretch P and F = I, or the mirror diag(1, −1) when
 * det W < 0 (no invertible path reaches a reflection, so it is its own named frame).
 * The orthogonal polar factor of a 2×2 matrix is closed-form: W ± its cofactor matrix is a
 * scaled rotation (det ≥ 0) or a scaled reflection (det < 0).
 */
export function polarParts(W) {
  const [[a, b], [c, d]] = W;
  const mirrored = det(W) < 0;
  let U = mirrored ? [[a - d, b + c], [b + c, d - a]] : [[a + d, b - c], [c - b, a + d]];
  const norm = Math.hypot(U[0][0], U[1][0]);
  U = norm > 0 ? U.map((row) => row.map((v) => v / norm)) : IDENTITY;
  const P0 = mul(transpose(U), W); // W = U·P0
  const F = mirrored ? [[1, 0], [0, -1]] : IDENTITY;
  return { R: mul(U, F), P: mul(F, mul(P0, F)), F };
}

const stretchBy = (P, F, s) => mul([[1 + s * (P[0][0] - 1), s * P[0][1]], [s * P[1][0], 1 + s * (P[1][1] - 1)]], F);

/**
 * The matrix at time `t` of the way from I to W (t in [0, 1]): first the stretch
 * (I + s(P − I))·F over t ≤ ½, then the rotation R^s·P·F. A mirrored W starts from F: the
 * jump to it happens at t = 0⁺, as the main view jumps to its `k.W~mirror` frame.
 */
export function tweenMatrix(W, t) {
  const { R, P, F } = polarParts(W);
  if (t <= 0) return IDENTITY;
  if (t >= 1) return W;
  if (t <= 0.5) return stretchBy(P, F, t * 2);
  const angle = Math.atan2(R[1][0], R[0][0]) * (t * 2 - 1);
  return mul(rotation(angle), mul(P, F));
}

/**
 * The engine's frames into a plane layer's k.W (tweens.py: tween_matrices): whether the mirror
 * frame comes first, and the matrices in the order of frame_records (the mirror's F first when
 * it does), stretch t = 1/S … 1, then rotation t = 1/R … (R−1)/R.
 */
export function tweenFrames2d(W) {
  const { R, P, F } = polarParts(W);
  const mirror = F[1][1] < 0;
  const matrices = mirror ? [F] : [];
  for (let i = 1; i <= STRETCH_FRAMES; i++) matrices.push(stretchBy(P, F, i / STRETCH_FRAMES));
  const angle = Math.atan2(R[1][0], R[0][0]);
  for (let i = 1; i < ROTATE_FRAMES; i++) matrices.push(mul(rotation(angle * (i / ROTATE_FRAMES)), mul(P, F)));
  return { mirror, matrices };
}

// --- the readout ----------------------------------------------------------------------------

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

/** A 3-D layer's frames into its k.W (maths3.js), with the server's frame counts. */
export const tweenFrames3d = (W) => frames3d(W, STRETCH_FRAMES, ROTATE_FRAMES);
