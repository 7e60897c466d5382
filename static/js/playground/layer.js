// One 2×2 layer a' = σ(W·a + b), computed in the browser: the playground's stages and the
// invertible tween into W, the same path app/engine/tweens.py gives the main view, so a student
// dragging a handle sees at 60 fps what the server would have sent. tests/browser/
// test_playground.py holds this module to the engine (same W, b, σ → same positions to 1e-9).
// Matrices are row-major arrays [[a, b], [c, d]]; points are flat Float64Arrays [x0, y0, x1, …].

import { CONSTANTS } from '../constants.js';
import {
  ACTIVATIONS, ROTATE_FRAMES, STRETCH_FRAMES, activate, affine, gridVertices as grid, tweenFrames2d, tweenMatrix,
} from '../maths.js';

export {
  ACTIVATIONS, affine, activate, det, orientation, polarParts, singularValues, tweenMatrix,
} from '../maths.js';
export const STAGES = ['input', 'W', 'b', 'act'];
export const LIMIT = CONSTANTS.playgroundWeightLimit; // |entries of W and b|

/** The engine's named frames into `1.W` (tweens.py: tween_matrices), for the tests. */
export function tweenFrames(W) {
  const { mirror, matrices } = tweenFrames2d(W);
  const names = [
    ...(mirror ? ['1.W~mirror'] : []),
    ...Array.from({ length: STRETCH_FRAMES }, (_, i) => `1.W~stretch@${((i + 1) / STRETCH_FRAMES).toFixed(2)}`),
    ...Array.from({ length: ROTATE_FRAMES - 1 }, (_, i) => `1.W~rotate@${((i + 1) / ROTATE_FRAMES).toFixed(2)}`),
  ];
  return matrices.map((M, i) => ({ name: names[i], M }));
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
  if (u < 1) return affine(points, tweenMatrix(W, u), null, into);
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

/** app/engine/warp.py's Grid over the data window, by default with its lines and samples. */
export function gridVertices(lines = CONSTANTS.grid.lines, samples = CONSTANTS.grid.samples, extent = CONSTANTS.dataExtent) {
  return grid(lines, samples, extent);
}
