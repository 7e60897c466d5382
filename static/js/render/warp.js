// The warp view in 2-D: grid lines, points by class, and (in the last space) the readout's
// class boundaries. renderWarp draws one stage; animateWarp tweens through a list of them.

import {
  LINES, PLOT_CONFIG, column, font, gridColumns, plotMargins, marker, pointGroups, window2d,
} from './style.js';

export const MARGIN = { l: 36, r: 8, t: 8, b: 28 };
export const LEGEND_BESIDE_EMS = 5.5; // a legend beside the plot in presentation: "class 0" and its marker

/**
 * Whether the legend stands beside the plot rather than under it: in presentation mode, when
 * the box is wide. Its large type would take two rows under the plot, and a squared window in a
 * wide box leaves room at the side anyway.
 */
export function legendBeside(el, look) {
  return look.present && (el.clientWidth || 600) > 1.3 * (el.clientHeight || 500);
}

/**
 * The plot area's width / height in `el`, legend aside: what the window is squared to. Plotly's
 * own figure once it has drawn (the legend's real size included), else an estimate.
 */
export function plotAspect(el, look) {
  const drawn = el._fullLayout?._size;
  if (drawn && drawn.w > 0 && drawn.h > 0) return Math.max(0.3, drawn.w / drawn.h);
  const margin = plotMargins(look, MARGIN);
  const legend = legendBeside(el, look) ? LEGEND_BESIDE_EMS * look.presentPx : 0;
  const w = (el.clientWidth || 600) - margin.l - margin.r - legend;
  const h = (el.clientHeight || 500) - margin.t - margin.b;
  return Math.max(0.3, w / Math.max(h, 1));
}

/**
 * The legend entry of a point group. In presentation a legend of "class c · train" and
 * "class c · test" took a third of the card (and six rows for three classes): there each class
 * has one entry (its filled mark), and one "test" entry (an open mark, legendKey) stands for
 * every test group — a click on it hides the test points, on a class its training points.
 */
export function groupLegend(look, group) {
  const { t } = look;
  if (!look.present) return { name: `${t('class', { c: group.c })} · ${t(group.part)}` };
  return group.part === 'train' ? { name: t('class', { c: group.c }), legendgroup: `class-${group.c}` }
    : { name: t('test'), legendgroup: 'test', showlegend: false };
}

/** Presentation's legend entry for the test points (no data: a mark and a name), or none. */
export function legendKey(look, dims = 2) {
  if (!look.present) return [];
  const { ink, t } = look;
  const key = { type: dims === 3 ? 'scatter3d' : 'scatter', mode: 'markers', name: t('test'), legendgroup: 'test',
    meta: 'legend-key', hoverinfo: 'skip', x: [null], y: [null],
    marker: { symbol: 'circle-open', color: ink, size: marker(look, 0, 'test').size, line: { color: ink, width: 2 } } };
  if (dims === 3) key.z = [null];
  return [key];
}

/** Trace data (x, y only) for grid then point groups: what a frame changes. */
function moving(meta, positions) {
  const [gx, gy] = gridColumns(meta, positions, 2);
  const data = [{ x: gx, y: gy }];
  for (const group of pointGroups(meta)) {
    data.push({ x: column(positions, 2, group.rows, 0), y: column(positions, 2, group.rows, 1) });
  }
  return data;
}

/** Grow the shorter side of a window so one unit is as long on both axes. */
function squared({ x, y }, aspect) {
  const cx = (x[0] + x[1]) / 2;
  const cy = (y[0] + y[1]) / 2;
  let hx = (x[1] - x[0]) / 2;
  let hy = (y[1] - y[0]) / 2;
  if (hx / hy < aspect) hx = hy * aspect;
  else hy = hx / aspect;
  return { x: [cx - hx, cx + hx], y: [cy - hy, cy + hy] };
}

/** The readout's boundary segments as one polyline per axis, null between segments. */
export function boundaryXY(boundaries) {
  const x = [];
  const y = [];
  for (const b of boundaries || []) {
    if (!b.segment) continue;
    x.push(b.segment[0][0], b.segment[1][0], null);
    y.push(b.segment[0][1], b.segment[1][1], null);
  }
  return { x, y };
}

/**
 * At most how many ticks each axis may have: none (Plotly's own choice) off presentation. Plotly
 * spaces y ticks ~40 px apart whatever their type, and 33 px labels at 0.2 steps touched on a
 * flat 1920×1080 warp view; in presentation a label gets two type heights, or four type widths.
 */
export function tickLimits(el, look) {
  if (!look.presentPx) return { x: 0, y: 0 };
  const margin = plotMargins(look, MARGIN);
  const size = font(look).size;
  const h = (el.clientHeight || 500) - margin.t - margin.b;
  const w = (el.clientWidth || 600) - margin.l - margin.r;
  return { x: Math.max(3, Math.floor(w / (4 * size))), y: Math.max(3, Math.floor(h / (2 * size))) };
}

function layoutFor(look, range, showLegend, beside, ticks) {
  const { plot, present } = look;
  const type = font(look);
  const legend = beside ? { orientation: 'v', x: 1.01, xanchor: 'left', y: 1, yanchor: 'top' }
    : { orientation: 'h', y: present ? -0.16 : -0.08 };
  return {
    margin: plotMargins(look, MARGIN),
    font: type,
    uirevision: 'warp',
    showlegend: showLegend,
    legend: { ...legend, font: font(look, 11) },
    // a fifth of the type size below the ticks: the leftmost x label and the lowest y label
    // both sit on the bottom-left corner, and at large type they touched
    xaxis: { range: range.x, zeroline: false, showgrid: false, ticks: 'outside', ticklabelstandoff: Math.ceil(type.size / 5),
      nticks: ticks.x },
    yaxis: { range: range.y, zeroline: false, showgrid: false, ticks: 'outside', nticks: ticks.y },
    plot_bgcolor: plot,
    paper_bgcolor: 'rgba(0,0,0,0)',
  };
}

/** Each point's index (training first, then test) for the rows of a point group. */
export const pointIndices = (meta, rows) => rows.map((row) => row - meta.gridRows);

/**
 * The traced point's path (a polyline through its position at every stage up to the one shown)
 * and a ring on it, drawn last so they sit on top. `traced`: {path: [[x, y], …]} or null; with
 * `dims` 3 the positions are [x, y, z] and the traces scatter3d (render/warp3d.js).
 */
export function tracedTraces(traced, look, dims = 2) {
  const path = traced ? traced.path : [];
  const at = path.at(-1);
  const { marks } = look;
  const type = dims === 3 ? 'scatter3d' : 'scatter';
  const axis = (i) => path.map((p) => p[i]);
  const ringAxis = (i) => (at ? [at[i]] : []);
  const line = { type, mode: 'lines+markers', name: 'trace-path', showlegend: false, hoverinfo: 'skip',
    x: axis(0), y: axis(1), line: { color: marks, width: dims === 3 ? 4 : 1.5, dash: 'dot' },
    marker: { color: marks, size: dims === 3 ? 3 : 4 } };
  const ring = { type, mode: 'markers', name: 'trace-ring', showlegend: false, hoverinfo: 'skip',
    x: ringAxis(0), y: ringAxis(1),
    marker: dims === 3 ? { symbol: 'circle-open', size: 14, color: marks, line: { color: marks, width: 3 } }
      : { symbol: 'circle-open', size: 18, color: marks, line: { color: marks, width: 3 } } };
  if (dims === 3) {
    line.z = axis(2);
    ring.z = ringAxis(2);
  }
  return [line, ring];
}

/**
 * Draw `positions` (rows × 2) at once. data: {meta, positions, boundaries, legend, traced, look}.
 * The point traces carry each point's index as customdata and hoverinfo 'none': no tooltip,
 * but a click on a point reaches plotly_click (hoverinfo 'skip' would swallow it).
 */
export function renderWarp(el, { meta, positions, boundaries = null, legend = true, traced = null, look }) {
  const frame = moving(meta, positions);
  const { grid, boundary, t } = look;
  const traces = [
    { ...frame[0], type: 'scatter', mode: 'lines', name: t('grid'), hoverinfo: 'skip',
      line: { color: grid, width: LINES.grid }, showlegend: false },
  ];
  pointGroups(meta).forEach((group, i) => {
    traces.push({ ...frame[i + 1], type: 'scatter', mode: 'markers', marker: marker(look, group.c, group.part),
      ...groupLegend(look, group), hoverinfo: 'none', customdata: pointIndices(meta, group.rows) });
  });
  traces.push({ ...boundaryXY(boundaries), type: 'scatter', mode: 'lines', name: t('boundary'),
    line: { color: boundary, width: LINES.boundary, dash: 'dash' }, hoverinfo: 'skip',
    showlegend: false });
  traces.push(...tracedTraces(traced, look), ...legendKey(look));
  const aspect = plotAspect(el, look);
  const range = window2d(positions, 2, aspect);
  return Plotly.react(el, traces, layoutFor(look, range, legend, legendBeside(el, look), tickLimits(el, look)), PLOT_CONFIG).then(() => {
    // the legend moved or the box changed: square the window to the plot area as drawn
    const drawn = plotAspect(el, look);
    if (Math.abs(drawn / aspect - 1) < 0.01) return el;
    const fitted = window2d(positions, 2, drawn);
    return Plotly.relayout(el, { 'xaxis.range': fitted.x, 'yaxis.range': fitted.y });
  });
}

/**
 * Tween through `steps` (each rows × 2 positions) with Plotly.animate, `duration` ms per step
 * (a number or one per step); resolves at the end.
 * The boundary trace and the traced point's marks (after the points) are cleared first: they
 * belong to one stage only. `onFrame(i)` is
 * called as frame i starts (the caption follows the frames, not the promise).
 */
export async function animateWarp(el, { meta, steps, duration = 350, settle = 220, onFrame = () => {}, look }) {
  const count = pointGroups(meta).length + 1;
  const traces = Array.from({ length: count }, (_, i) => i);
  const still = Array.from({ length: el.data.length - count }, (_, i) => count + i)
    .filter((i) => el.data[i].meta !== 'legend-key'); // the legend's entry stays
  await Plotly.restyle(el, { x: still.map(() => []), y: still.map(() => []) }, still);
  // one window for the whole path, set before moving: animating the axes too costs frames
  const aspect = plotAspect(el, look);
  const windows = steps.map((positions) => window2d(positions, 2, aspect));
  const x = [Math.min(...windows.map((w) => w.x[0])), Math.max(...windows.map((w) => w.x[1]))];
  const y = [Math.min(...windows.map((w) => w.y[0])), Math.max(...windows.map((w) => w.y[1]))];
  const start = el.layout.xaxis.range.concat(el.layout.yaxis.range);
  const range = squared({ x: [Math.min(x[0], start[0]), Math.max(x[1], start[1])],
    y: [Math.min(y[0], start[2]), Math.max(y[1], start[3])] }, aspect);
  await Plotly.relayout(el, { 'xaxis.range': range.x, 'yaxis.range': range.y });
  const frames = steps.map((positions) => ({ data: moving(meta, positions), traces }));
  const each = Array.isArray(duration) ? duration : steps.map(() => duration);
  let started = 0;
  const frameStarted = () => {
    if (started < frames.length) onFrame(started);
    started += 1;
  };
  el.on('plotly_animatingframe', frameStarted);
  try {
    await Plotly.animate(el, frames, {
      mode: 'immediate',
      transition: each.map((ms) => ({ duration: ms, easing: 'linear' })),
      frame: each.map((ms) => ({ duration: ms, redraw: false })),
    });
  } finally {
    el.removeListener('plotly_animatingframe', frameStarted);
  }
  // then zoom to the last stage's own window, so the final redraw does not jump
  const last = windows.at(-1);
  return Plotly.animate(el, { layout: { xaxis: { range: last.x }, yaxis: { range: last.y } } }, {
    mode: 'immediate', transition: { duration: settle, easing: 'cubic-in-out' }, frame: { duration: settle, redraw: false },
  });
}
