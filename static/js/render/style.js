// Shared look: the Okabe–Ito palette (safe for colour-blind readers), one marker shape per
// class, filled for training points and open for test points. Plot text and colours follow the
// page's theme (html[data-theme]) and presentation mode (html[data-present]): see look().

export const CLASS_COLOURS = ['#0072B2', '#E69F00', '#009E73'];
export const CLASS_SYMBOLS = ['circle', 'square', 'diamond'];
export const GRID_COLOUR = 'rgba(90, 100, 120, 0.45)';
export const BOUNDARY_COLOUR = '#CC3311';
export const PLOT_CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false };
export const PRESENT_FONT_PX = 30; // every plot's text in presentation mode: legible across a room

const THEMES = {
  light: { ink: '#1d1f24', muted: '#5b6270', plot: '#fbfbfd', grid: GRID_COLOUR, boundary: BOUNDARY_COLOUR,
    marks: '#222222', fieldBase: [255, 255, 255], edge: 'white' },
  dark: { ink: '#e8eaef', muted: '#b4bac6', plot: '#1b1e25', grid: 'rgba(170, 180, 200, 0.42)',
    boundary: '#FF7A59', marks: '#f2f2f2', fieldBase: [27, 30, 37], edge: '#1b1e25' },
};

/** The current theme's plot colours, and whether presentation mode is on. */
export function look() {
  const root = document.documentElement;
  const theme = THEMES[root.dataset.theme] ?? THEMES.light;
  return { ...theme, present: root.dataset.present === 'true' };
}

/** A Plotly font of `size` px (at least PRESENT_FONT_PX in presentation mode). */
export function font(size = 12) {
  const { ink, present } = look();
  return { family: 'system-ui, "Noto Sans SC", sans-serif', size: present ? Math.max(size, PRESENT_FONT_PX) : size, color: ink };
}

/** Plot margins, widened in presentation mode to make room for its larger tick labels. */
export function plotMargins(m) {
  if (!look().present) return m;
  return { l: m.l && m.l * 2.6, r: m.r, t: m.t && m.t * 1.6, b: m.b && m.b * 2.4 };
}

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
  const { edge, present } = look();
  return {
    color: colour,
    symbol: part === 'train' ? CLASS_SYMBOLS[c] : `${CLASS_SYMBOLS[c]}-open`,
    size: present ? size * 1.6 : size,
    line: { color: part === 'train' ? edge : colour, width: part === 'train' ? 0.6 : 1.4 },
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
