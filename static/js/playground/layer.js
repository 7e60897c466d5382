// One 2×2 layer a' = σ(W·a + b), computed in the browser: the playground's stages and the
// invertible tween into W, the same path app/engine/tweens.py gives the main view, so a student
// dragging a handle sees at 60 fps what the server would have sent. tests/browser/
// test_playground.py holds this module to the engine (same W, b, σ → same positions to 1e-9).
// Matrices are row-major arrays [[a, b], [c, d]]; points are flat Float64Arrays [x0, y0, x1, …].

import { CONSTANTS } from '../constants.js';

export const LEAKY_SLOPE = 0.1; // app/engine/activations.py
export const COLLAPSE_RATIO = 1e-3; // app/engine/warp.py: smallest/largest singular value
export const STAGES = ['input', 'W', 'b', 'act'];
export const LIMIT = CONSTANTS.playgroundWeightLimit; // |entries of W and b|
export const ACTIVATIONS = {
  tanh: Math.tanh,
  // σ(z) = (1 + tanh(z/2)) / 2, as the engine writes it: exact and never overflows
  sigmoid: (z) => (1 + Math.tanh(z * 0.5)) * 0.5,
  relu: (z) => Math.max(z, 0),
  leaky_relu: (z) => Math.max(z, LEAKY_SLOPE * z),
  linear: (z) => z,
};

const STRETCH_FRAMES = 4; // as the engine: stretch t = 1/4 … 1, rotation t = 1/4 … 3/4
const ROTATE_FRAMES = 4;

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

/**
 * The matrix at time `t` of the way from I to W (t in [0, 1]): first the stretch
 * (I + s(P − I))·F over t ≤ ½, then the rotation R^s·P·F. A mirrored W starts from F: the
 * jump to it happens at t = 0⁺, as the main view jumps to its `k.W~mirror` frame.
 */
export function tweenMatrix(W, t) {
  const { R, P, F } = polarParts(W);
  if (t <= 0) return IDENTITY;
  if (t >= 1) return W;
  if (t <= 0.5) {
    const s = t * 2;
    return mul([[1 + s * (P[0][0] - 1), s * P[0][1]], [s * P[1][0], 1 + s * (P[1][1] - 1)]], F);
  }
  const angle = Math.atan2(R[1][0], R[0][0]) * (t * 2 - 1);
  return mul(rotation(angle), mul(P, F));
}

/** The engine's named frames into `1.W` (tweens.py: tween_matrices), for the tests. */
export function tweenFrames(W) {
  const { R, P, F } = polarParts(W);
  const frames = [];
  if (F[1][1] < 0) frames.push({ name: '1.W~mirror', M: F });
  for (let i = 1; i <= STRETCH_FRAMES; i++) {
    const s = i / STRETCH_FRAMES;
    const M = mul([[1 + s * (P[0][0] - 1), s * P[0][1]], [s * P[1][0], 1 + s * (P[1][1] - 1)]], F);
    frames.push({ name: `1.W~stretch@${s.toFixed(2)}`, M });
  }
  const angle = Math.atan2(R[1][0], R[0][0]);
  for (let i = 1; i < ROTATE_FRAMES; i++) {
    const s = i / ROTATE_FRAMES;
    frames.push({ name: `1.W~rotate@${s.toFixed(2)}`, M: mul(rotation(angle * s), mul(P, F)) });
  }
  return frames;
}

/** `points` (flat x, y pairs) times Mᵀ, plus `shift` when given, into `out`. */
export function affine(points, M, shift = [0, 0], out = new Float64Array(points.length)) {
  const [[a, b], [c, d]] = M;
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i];
    const y = points[i + 1];
    out[i] = a * x + b * y + shift[0];
    out[i + 1] = c * x + d * y + shift[1];
  }
  return out;
}

/** σ applied to every coordinate of `points`, into `out`. */
export function activate(points, activation, out = new Float64Array(points.length)) {
  const sigma = ACTIVATIONS[activation];
  for (let i = 0; i < points.length; i++) out[i] = sigma(points[i]);
  return out;
}

/** Positions of `points` at every stage: {input, W, b, act}, as the engine's Network.stages. */
export function stages(points, { W, b, activation }) {
  const moved = affine(points, W);
  const shifted = affine(points, W, b);
  return { input: points, W: moved, b: shifted, act: activate(shifted, activation) };
}

/**
 * Positions at a continuous place `u` on the stage axis: u = 0 input, 1 W, 2 +b, 3 σ. Between
 * input and W the points follow the invertible tween; +b and σ move in straight lines, as
 * the main view's tweens do. `into` is reused so a drag allocates nothing per frame.
 */
export function positionsAt(points, layer, u, into = new Float64Array(points.length)) {
  const { W, b, activation } = layer;
  if (u <= 0) return into.set(points) ?? into;
  if (u < 1) return affine(points, tweenMatrix(W, u), [0, 0], into);
  if (u <= 2) {
    const s = u - 1;
    return affine(points, W, [s * b[0], s * b[1]], into);
  }
  const shifted = affine(points, W, b, into);
  const s = Math.min(1, u - 2);
  const sigma = ACTIVATIONS[activation];
  for (let i = 0; i < shifted.length; i++) shifted[i] += s * (sigma(shifted[i]) - shifted[i]);
  return shifted;
}

/** app/engine/warp.py's Grid: `lines` lines each way over [−extent, extent]², horizontal first. */
export function gridVertices(lines = 11, samples = 33, extent = CONSTANTS.dataExtent) {
  const tick = (i, n) => -extent + (2 * extent * i) / (n - 1);
  const out = new Float64Array(2 * lines * samples * 2);
  let o = 0;
  for (const horizontal of [true, false]) {
    for (let l = 0; l < lines; l++) {
      for (let s = 0; s < samples; s++) {
        const along = tick(s, samples);
        const fixed = tick(l, lines);
        out[o++] = horizontal ? along : fixed;
        out[o++] = horizontal ? fixed : along;
      }
    }
  }
  return out;
}
