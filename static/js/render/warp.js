// The warp view in 2-D: grid lines, points by class, and (in the last space) the readout's
// class boundaries. renderWarp draws one stage; animateWarp tweens through a list of them.

import { t } from '../i18n.js';
import {
  BOUNDARY_COLOUR, FONT, GRID_COLOUR, PLOT_CONFIG, column, gridColumns, marker, pointGroups, window2d,
} from './style.js';

const MARGIN = { l: 36, r: 8, t: 8, b: 28 };

function plotAspect(el) {
  const w = (el.clientWidth || 600) - MARGIN.l - MARGIN.r;
  const h = (el.clientHeight || 500) - MARGIN.t - MARGIN.b;
  return Math.max(0.3, w / Math.max(h, 1));
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

function boundaryXY(boundaries) {
  const x = [];
  const y = [];
  for (const b of boundaries || []) {
    if (!b.segment) continue;
    x.push(b.segment[0][0], b.segment[1][0], null);
    y.push(b.segment[0][1], b.segment[1][1], null);
  }
  return { x, y };
}

function layoutFor(range, showLegend) {
  return {
    margin: MARGIN,
    font: FONT,
    uirevision: 'warp',
    showlegend: showLegend,
    legend: { orientation: 'h', y: -0.08, font: { size: 11 } },
    xaxis: { range: range.x, zeroline: false, showgrid: false, ticks: 'outside' },
    yaxis: { range: range.y, zeroline: false, showgrid: false, ticks: 'outside' },
    plot_bgcolor: '#fbfbfd',
    paper_bgcolor: 'rgba(0,0,0,0)',
  };
}

/** Draw `positions` (rows × 2) at once. data: {meta, positions, boundaries, legend}. */
export function renderWarp(el, { meta, positions, boundaries = null, legend = true }) {
  const frame = moving(meta, positions);
  const traces = [
    { ...frame[0], type: 'scatter', mode: 'lines', name: t('grid'), hoverinfo: 'skip',
      line: { color: GRID_COLOUR, width: 1 }, showlegend: false },
  ];
  pointGroups(meta).forEach((group, i) => {
    traces.push({ ...frame[i + 1], type: 'scatter', mode: 'markers', marker: marker(group.c, group.part),
      name: `${t('class', { c: group.c })} · ${t(group.part)}`, hoverinfo: 'skip' });
  });
  traces.push({ ...boundaryXY(boundaries), type: 'scatter', mode: 'lines', name: t('boundary'),
    line: { color: BOUNDARY_COLOUR, width: 2.5, dash: 'dash' }, hoverinfo: 'skip',
    showlegend: false });
  const range = window2d(positions, 2, plotAspect(el));
  return Plotly.react(el, traces, layoutFor(range, legend), PLOT_CONFIG);
}

/**
 * Tween through `steps` (each rows × 2 positions) with Plotly.animate, `duration` ms per step
 * (a number or one per step); resolves at the end.
 * The boundary trace (last) is cleared first: it belongs to one space only.
 */
export async function animateWarp(el, { meta, steps, duration = 350 }) {
  const count = pointGroups(meta).length + 1;
  const traces = Array.from({ length: count }, (_, i) => i);
  await Plotly.restyle(el, { x: [[]], y: [[]] }, [count]);
  const aspect = plotAspect(el);
  const frames = steps.map((positions) => {
    const range = window2d(positions, 2, aspect);
    return { data: moving(meta, positions), traces,
      layout: { xaxis: { range: range.x }, yaxis: { range: range.y } } };
  });
  const each = Array.isArray(duration) ? duration : steps.map(() => duration);
  return Plotly.animate(el, frames, {
    mode: 'immediate',
    transition: each.map((ms) => ({ duration: ms, easing: 'linear' })),
    frame: each.map((ms) => ({ duration: ms, redraw: false })),
  });
}
