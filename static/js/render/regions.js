// The linear regions of a relu / leaky_relu net (the `regions` record of a snapshot, docs/wire.md)
// as an image trace for the input-space view: one colour per region, so the pieces the network
// treats as one affine map each are plain to see.

const GOLDEN_ANGLE = 137.508; // neighbouring ids get far-apart hues
const canvas = document.createElement('canvas');

/** {extent, size, count, ids: Uint8Array} from the wire record. */
export function decodeRegions(record) {
  if (!record) return null;
  const ids = Uint8Array.from(atob(record.q), (c) => c.charCodeAt(0));
  return { extent: record.extent, size: record.size, count: record.count, ids };
}

/** A light colour for region `id` (HSL, the same on every snapshot for the same id). */
function colour(id, dark) {
  const hue = (id * GOLDEN_ANGLE) % 360;
  const [s, l] = dark ? [0.45, 0.32] : [0.7, 0.8];
  const k = (n) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0), f(8), f(4)].map((v) => Math.round(v * 255));
}

/** An image trace over [−extent, extent]²: each lattice point a cell of its region's colour. */
export function regionsTrace(regions, dark) {
  const { size, ids, extent } = regions;
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(size, size);
  const palette = new Map();
  for (let i = 0; i < ids.length; i++) {
    if (!palette.has(ids[i])) palette.set(ids[i], colour(ids[i], dark));
    const [r, g, b] = palette.get(ids[i]);
    pixels.data.set([r, g, b, 255], i * 4); // row i of the canvas is drawn at y0 + i·dy
  }
  context.putImageData(pixels, 0, 0);
  const cell = (2 * extent) / (size - 1);
  return { type: 'image', source: canvas.toDataURL(), x0: -extent, dx: cell, y0: -extent, dy: cell,
    hoverinfo: 'skip', name: 'regions' };
}
