// Each hidden unit's own map: its activation over the input window, computed here from the
// snapshot's W and b (a forward pass over a small lattice costs far less than sending it), as a
// thumbnail — orange where the unit is positive, blue where negative. A relu unit whose input
// is ≤ 0 at every grid vertex and data point is dead: 0 everywhere, no gradient; it is marked.

import { CONSTANTS } from '../constants.js';
import { stageOf } from '../decode.js';
import { LATTICE_SIZE as SIZE, layerStages } from '../maths.js';

const EXTENT = CONSTANTS.dataExtent; // the data window
const POSITIVE = [230, 159, 0];
const NEGATIVE = [0, 114, 178];

/** [layer][unit] → Float64Array (SIZE²) of the unit's activation, y the slow index: the
 * forward pass of maths.js over the lattice of the probability field. */
export function unitFields(snapshot) {
  const { layers, meta } = snapshot;
  const n = SIZE * SIZE;
  let a = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    a[2 * i] = -EXTENT + (2 * EXTENT * (i % SIZE)) / (SIZE - 1);
    a[2 * i + 1] = -EXTENT + (2 * EXTENT * Math.floor(i / SIZE)) / (SIZE - 1);
  }
  let dim = 2;
  const out = [];
  for (const layer of layers) {
    const stages = layerStages(a, dim, layer, meta.config);
    a = stages.res ?? stages.act;
    dim = layer.W.length;
    out.push(Array.from({ length: dim }, (_, u) => a.filter((_, i) => i % dim === u)));
  }
  return out;
}

/** Units whose pre-activation (stage k.b) is ≤ 0 at every row the snapshot holds. */
export function deadUnits(snapshot, k) {
  if (snapshot.meta.config.activation !== 'relu') return new Set();
  const { dims } = snapshot.meta;
  const positions = snapshot.stage(stageOf(snapshot.meta, k, 'b'));
  const dead = new Set();
  for (let u = 0; u < dims; u++) {
    let alive = false;
    for (let i = u; i < positions.length && !alive; i += dims) alive = positions[i] > 0;
    if (!alive) dead.add(u);
  }
  return dead;
}

/** A thumbnail canvas of one unit's field: colour strength ∝ |value| / the map's largest. */
export function unitCanvas(values) {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(SIZE, SIZE);
  let largest = 0;
  for (const v of values) largest = Math.max(largest, Math.abs(v));
  for (let i = 0; i < values.length; i++) {
    const strength = largest > 0 ? Math.abs(values[i]) / largest : 0;
    const colour = values[i] >= 0 ? POSITIVE : NEGATIVE;
    const row = SIZE - 1 - Math.floor(i / SIZE); // y up
    const at = (row * SIZE + (i % SIZE)) * 4;
    for (let c = 0; c < 3; c++) pixels.data[at + c] = Math.round(255 + (colour[c] - 255) * strength);
    pixels.data[at + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  canvas.dataset.largest = String(largest);
  return canvas;
}
