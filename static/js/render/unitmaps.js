// Each hidden unit's own map: its activation over the input window, computed here from the
// snapshot's W and b (a forward pass over a small lattice costs far less than sending it), as a
// thumbnail — orange where the unit is positive, blue where negative. A relu unit whose input
// is ≤ 0 at every grid vertex and data point is dead: 0 everywhere, no gradient; it is marked.

import { CONSTANTS } from '../constants.js';
import { stageOf } from '../decode.js';
import { ACTIVATIONS } from '../playground/layer.js';

const SIZE = 33; // lattice points per side, as the probability field
const EXTENT = CONSTANTS.dataExtent; // the data window
const POSITIVE = [230, 159, 0];
const NEGATIVE = [0, 114, 178];

/** [layer][unit] → Float64Array (SIZE²) of the unit's activation, y the slow index. */
export function unitFields(snapshot) {
  const { layers, meta } = snapshot;
  const sigma = ACTIVATIONS[meta.config.activation];
  const n = SIZE * SIZE;
  let a = [new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    a[0][i] = -EXTENT + (2 * EXTENT * (i % SIZE)) / (SIZE - 1);
    a[1][i] = -EXTENT + (2 * EXTENT * Math.floor(i / SIZE)) / (SIZE - 1);
  }
  const out = [];
  for (const { W, b } of layers) {
    const next = W.map((row, u) => {
      const h = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let z = b[u];
        for (let j = 0; j < row.length; j++) z += row[j] * a[j][i];
        h[i] = sigma(z);
      }
      return h;
    });
    if (meta.config.residual) next.forEach((h, u) => { if (a[u]) for (let i = 0; i < n; i++) h[i] += a[u][i]; });
    out.push(next);
    a = next;
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
