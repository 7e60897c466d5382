// Shared look: the Okabe–Ito palette (safe for colour-blind readers), one marker shape per
// class, filled for training points and open for test points.

export const CLASS_COLOURS = ['#0072B2', '#E69F00', '#009E73'];
export const CLASS_SYMBOLS = ['circle', 'square', 'diamond'];
export const GRID_COLOUR = 'rgba(90, 100, 120, 0.45)';
export const BOUNDARY_COLOUR = '#CC3311';
export const PLOT_CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false };
export const FONT = { family: 'system-ui, sans-serif', size: 12, color: '#222' };

/** Index lists of each (class, part) group, cached per meta: the order traces are drawn in. */
const groupCache = new WeakMap();
export function pointGroups(meta) {
  if (groupCache.has(meta)) return groupCache.get(meta);
  const groups = [];
  for (let c = 0; c < meta.classes; c++) {
    for (const part of ['train', 'test']) {
      const rows = [];
      const start = part === 'train' ? 0 : meta.n_train;
      const end = part === 'train' ? meta.n_train : meta.n_train + meta.n_test;
      for (let i = start; i < end; i++) if (meta.labels[i] === c) rows.push(meta.gridRows + i);
      groups.push({ c, part, rows });
    }
  }
  groupCache.set(meta, groups);
  return groups;
}

export function marker(c, part, size = 7) {
  const colour = CLASS_COLOURS[c];
  return {
    color: colour,
    symbol: part === 'train' ? CLASS_SYMBOLS[c] : `${CLASS_SYMBOLS[c]}-open`,
    size,
    line: { color: part === 'train' ? 'white' : colour, width: part === 'train' ? 0.6 : 1.4 },
  };
}

/** Coordinates of `rows` along `axis` from rows × dims positions. */
export function column(positions, dims, rows, axis) {
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = positions[rows[i] * dims + axis];
  return out;
}

/** The grid as one polyline per axis with null between lines: one trace, not one per line. */
export function gridColumns(meta, positions, dims) {
  const { samples } = meta.grid;
  const lines = meta.gridRows / samples;
  const axes = [];
  for (let axis = 0; axis < dims; axis++) {
    const out = new Array(meta.gridRows + lines);
    let j = 0;
    for (let line = 0; line < lines; line++) {
      for (let s = 0; s < samples; s++) out[j++] = positions[(line * samples + s) * dims + axis];
      out[j++] = null;
    }
    axes.push(out);
  }
  return axes;
}

/** A square-looking [lo, hi] window per axis around all rows, for a plot of `aspect` = w/h. */
export function window2d(positions, dims, aspect = 1) {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += dims) {
    const x = positions[i];
    const y = positions[i + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  let hx = Math.max((x1 - x0) / 2, 1e-3) * 1.06;
  let hy = Math.max((y1 - y0) / 2, 1e-3) * 1.06;
  if (hx / hy < aspect) hx = hy * aspect;
  else hy = hx / aspect;
  return { x: [cx - hx, cx + hx], y: [cy - hy, cy + hy] };
}
