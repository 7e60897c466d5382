// A network whose every layer is affine (no hidden layer, or σ = linear) is one affine map of
// the plane, so its decision boundaries in the input space are exact straight lines. This finds
// that map from a snapshot's weights, so the input view can draw the line itself rather than a
// contour traced through a coarse lattice of probabilities.

import { affine, layerStages } from './maths.js';

/** logits = W·x + b for every x of the plane, with W (K, 2), b (K); null if σ bends anything.
 * The net's images of 0, e₁ and e₂ (maths.js's forward pass) give c and A's columns. */
export function affineModel(snapshot) {
  const { config } = snapshot.meta;
  if (config.layers && config.activation !== 'linear') return null;
  let a = Float64Array.of(0, 0, 1, 0, 0, 1);
  let dim = 2;
  for (const layer of snapshot.layers) {
    const stages = layerStages(a, dim, layer, { activation: 'linear', residual: config.residual });
    a = stages.res ?? stages.act;
    dim = layer.W.length;
  }
  const { W, b } = snapshot.readout;
  const logits = affine(a, W, b); // rows: the images of 0, e₁, e₂
  const K = W.length;
  return {
    W: W.map((_, i) => [logits[K + i] - logits[i], logits[2 * K + i] - logits[i]]),
    b: W.map((_, i) => logits[i]),
  };
}

export { boundarySegments } from './maths.js';
