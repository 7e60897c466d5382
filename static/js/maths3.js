// The tweens of a 3-D layer (app/engine/tweens.py for width 3), so a 3-D snapshot need not
// carry its frames' matrices: W = R·P·F from the polar decomposition, stretch then rotate.
// The polar factor is unique for an invertible W, so it is found here by Newton's iteration
// (U ← (U + U⁻ᵀ)/2) rather than by an SVD whose signs and order would have to match NumPy's;
// the result is the engine's to rounding (tests/browser/test_maths.py, 1e-9 relative).
// Matrices are arrays of rows. Used through maths.js.

const eye3 = () => [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

export const mul3 = (A, B) => A.map((row) => [0, 1, 2].map((j) => row[0] * B[0][j] + row[1] * B[1][j] + row[2] * B[2][j]));
const transpose3 = (A) => [0, 1, 2].map((i) => [A[0][i], A[1][i], A[2][i]]);
const add3 = (A, B, s = 1) => A.map((row, i) => row.map((v, j) => v + s * B[i][j]));
const scale3 = (A, s) => A.map((row) => row.map((v) => v * s));
const cross = (u, v) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];

export function det3(A) {
  return A[0][0] * (A[1][1] * A[2][2] - A[1][2] * A[2][1])
    - A[0][1] * (A[1][0] * A[2][2] - A[1][2] * A[2][0])
    + A[0][2] * (A[1][0] * A[2][1] - A[1][1] * A[2][0]);
}

/** A⁻ᵀ by cofactors (null when A is singular). */
function inverseTranspose3(A) {
  const d = det3(A);
  if (!(Math.abs(d) > 0) || !Number.isFinite(d)) return null;
  const c = (i, j) => {
    const [r0, r1] = [0, 1, 2].filter((r) => r !== i);
    const [k0, k1] = [0, 1, 2].filter((k) => k !== j);
    return ((i + j) % 2 ? -1 : 1) * (A[r0][k0] * A[r1][k1] - A[r0][k1] * A[r1][k0]);
  };
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => c(i, j) / d));
}

/**
 * W itself, or for a 3×2 W (the plane lifted) the 3×3 matrix that acts the same on z = 0 and
 * has det > 0: its third column the columns' normal, scaled to their mean stretch.
 */
export function square3(W) {
  if (W[0].length === 3) return W;
  const normal = cross([W[0][0], W[1][0], W[2][0]], [W[0][1], W[1][1], W[2][1]]);
  const length = Math.hypot(...normal);
  // columns parallel (the engine then takes any unit normal from its SVD): +z, as a rank-1 W has
  const n = length >= 1e-12 ? normal.map((v) => v / Math.sqrt(length)) : [0, 0, 1];
  return W.map((row, i) => [row[0], row[1], n[i]]);
}

/** The orthogonal polar factor U of W (W = U·P), by the scaled Newton iteration. */
function orthogonalFactor(W) {
  const top = Math.max(...W.flat().map(Math.abs));
  let U = scale3(W, top > 0 ? 1 / top : 1); // the engine scales too; U does not change
  for (let i = 0; i < 100; i++) {
    const inv = inverseTranspose3(U);
    if (!inv) return eye3(); // singular: no unique factor (the engine's SVD picks one)
    const next = scale3(add3(U, inv), 0.5);
    const change = Math.max(...add3(next, U, -1).flat().map(Math.abs));
    U = next;
    if (change < 1e-15) break;
  }
  return U;
}

/** W = R·P·F: a rotation, a symmetric stretch and F = I or diag(1, 1, −1). */
export function polarParts3(W) {
  const U = orthogonalFactor(W);
  const P0 = mul3(transpose3(U), W);
  const symmetric = scale3(add3(P0, transpose3(P0)), 0.5);
  const F = eye3();
  if (det3(U) < 0) F[2][2] = -1;
  return { R: mul3(U, F), P: mul3(F, mul3(symmetric, F)), F };
}

/** R^t along the shortest path (axis–angle, Rodrigues), as the engine's _rotation_3d_power. */
export function rotationPower3(R, t) {
  const theta = Math.acos(Math.min(1, Math.max(-1, (R[0][0] + R[1][1] + R[2][2] - 1) / 2)));
  if (theta < 1e-9) return eye3();
  let axis;
  if (Math.PI - theta < 1e-6) { // half-turn: (R + I)/2 = axis·axisᵀ
    const sym = scale3(add3(R, eye3()), 0.5);
    const diagonal = [sym[0][0], sym[1][1], sym[2][2]];
    const k = diagonal.indexOf(Math.max(...diagonal));
    axis = [sym[0][k], sym[1][k], sym[2][k]];
  } else {
    axis = [R[2][1] - R[1][2], R[0][2] - R[2][0], R[1][0] - R[0][1]];
  }
  const norm = Math.hypot(...axis);
  const [x, y, z] = axis.map((v) => v / norm);
  const K = [[0, -z, y], [z, 0, -x], [-y, x, 0]];
  const angle = theta * t;
  return add3(add3(eye3(), K, Math.sin(angle)), mul3(K, K), 1 - Math.cos(angle));
}

/**
 * The engine's frames into a 3-D layer's k.W: whether the mirror frame comes first, and the
 * matrices in the order of frame_records — the mirror's F, the stretches (I + s(P − I))·F for
 * s = 1/S … 1, then R^s·P·F for s = 1/R … (R−1)/R.
 */
export function tweenFrames3d(W, stretchFrames, rotateFrames) {
  const clean = W.map((row) => row.map((v) => (Number.isFinite(v) ? v : 0)));
  const { R, P, F } = polarParts3(square3(clean));
  const mirror = F[2][2] < 0;
  const matrices = mirror ? [F] : [];
  const PI = add3(P, eye3(), -1);
  for (let i = 1; i <= stretchFrames; i++) matrices.push(mul3(add3(eye3(), PI, i / stretchFrames), F));
  const PF = mul3(P, F);
  for (let i = 1; i < rotateFrames; i++) matrices.push(mul3(rotationPower3(R, i / rotateFrames), PF));
  return { mirror, matrices };
}
