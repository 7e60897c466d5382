// Shared look: the Okabe–Ito palette (safe for colour-blind readers), one marker shape per
// class, filled for training points and open for test points. Plot text and colours follow the
// theme, presentation mode and language the caller hands every renderer as `look` (plotLook):
// renderers read neither the document nor a global.

import { CONSTANTS } from '../constants.js';

// How plots look is the server's (app/look.py), handed over in CONSTANTS: the notebook API draws
// its figures from the same values.
export const CLASS_COLOURS = CONSTANTS.classColours;
export const CLASS_SYMBOLS = CONSTANTS.classSymbols;
export const MARKERS = CONSTANTS.markers;
export const LINES = CONSTANTS.lines;
const THEMES = CONSTANTS.themes;
export const GRID_COLOUR = THEMES.light.grid;
export const BOUNDARY_COLOUR = THEMES.light.boundary;
// doubleClickDelay: the bundled plotly.js counts two clicks within 500 ms as a double click, which
// resets the axes: clicking one point and then another moved every point from under the pointer.
// 300 ms (plotly.js 2's delay) is a double click, not a person picking points one after another.
export const PLOT_CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false, doubleClickDelay: 300 };
const BASE_FONT_PX = 12; // the size the plots' margins below are measured for

/**
 * What every renderer draws in: `theme`'s plot colours, the presentation text size `presentPx`
 * (0 when presentation mode is off), and the language `lang` with `t(key, values)` to look its
 * strings up.
 */
export function plotLook({ theme = 'light', presentPx = 0, lang = 'en', t = (key) => key } = {}) {
  return { ...(THEMES[theme] ?? THEMES.light), dark: theme === 'dark', present: presentPx > 0, presentPx, lang, t };
}

/** A Plotly font of `size` px; in presentation mode `share` of the presentation size instead. */
export function font(look, size = 12, share = 1) {
  const { ink, presentPx } = look;
  return { family: CONSTANTS.fontFamily, size: presentPx ? Math.round(presentPx * share) : size, color: ink };
}

/** Plot margins, grown in presentation mode in step with its larger tick labels. */
export function plotMargins(look, m) {
  const { presentPx } = look;
  if (!presentPx) return m;
  const k = presentPx / BASE_FONT_PX;
  return { l: m.l && Math.round(m.l * k), r: m.r && Math.round(m.r * k * 0.5), t: m.t && Math.round(m.t * k * 0.7),
    b: m.b && Math.round(m.b * k) };
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

export function marker(look, c, part, size = MARKERS.size) {
  const colour = CLASS_COLOURS[c];
  const { edge, present, presentPx } = look;
  return {
    color: colour,
    symbol: part === 'train' ? CLASS_SYMBOLS[c] : `${CLASS_SYMBOLS[c]}-open`,
    size: present ? size * Math.max(1.6, presentPx / 16) : size,
    line: { color: part === 'train' ? edge : colour, width: part === 'train' ? MARKERS.trainEdge : MARKERS.testEdge },
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
