// The warp view for width 3: scatter3d, tweened by the page (scatter3d has no Plotly
// transitions). uirevision keeps the user's camera across every update.

import { t } from '../i18n.js';
import { boundaryMeshes } from './boundaries3d.js';
import { PLOT_CONFIG, column, font, gridColumns, look, marker, pointGroups } from './style.js';
import { legendBeside } from './warp.js';

function traces(meta, positions) {
  const [gx, gy, gz] = gridColumns(meta, positions, 3);
  const out = [{ type: 'scatter3d', mode: 'lines', x: gx, y: gy, z: gz, name: t('grid'),
    hoverinfo: 'skip', line: { color: look().grid, width: 2 }, showlegend: false }];
  for (const group of pointGroups(meta)) {
    out.push({
      type: 'scatter3d', mode: 'markers', hoverinfo: 'skip',
      name: `${t('class', { c: group.c })} · ${t(group.part)}`,
      x: column(positions, 3, group.rows, 0),
      y: column(positions, 3, group.rows, 1),
      z: column(positions, 3, group.rows, 2),
      marker: { ...marker(group.c, group.part, 3.5), line: undefined },
    });
  }
  return out;
}

/**
 * One layout object per look, reused: Plotly.react then sees the same object and leaves the
 * scene (and a camera moved through the API) alone instead of replotting it every snapshot.
 */
const layouts = new Map();
function layout(el) {
  const { presentPx, ink } = look();
  const beside = legendBeside(el);
  const key = `${presentPx}-${ink}-${beside}`;
  if (!layouts.has(key)) layouts.set(key, buildLayout(presentPx, beside));
  return layouts.get(key);
}

function buildLayout(presentPx, beside) {
  // A scene draws its labels in WebGL, where a font of s px shows about s²/12 px tall (measured
  // in Chromium): √(12·p) shows them at the page's p px. Fewer ticks keep the labels apart.
  const labels = { size: Math.round(Math.sqrt(12 * presentPx)) };
  const axis = presentPx ? { nticks: 5, tickfont: labels, title: { font: labels } } : {};
  const legend = beside ? { orientation: 'v', x: 1, xanchor: 'left', y: 1, yanchor: 'top' } : { orientation: 'h', y: 0 };
  return {
    margin: { l: 0, r: 0, t: 0, b: 0 },
    font: font(),
    uirevision: 'warp3d',
    showlegend: true,
    legend: { ...legend, font: font(11) },
    paper_bgcolor: 'rgba(0,0,0,0)',
    scene: { aspectmode: 'cube', uirevision: 'warp3d', xaxis: axis, yaxis: axis, zaxis: axis,
      camera: { eye: { x: 1.5, y: -1.5, z: 1.1 } } },
  };
}

/** data: {meta, positions (rows × 3), readout (only in the last space: draws its planes)}. */
export function renderWarp3d(el, { meta, positions, readout = null }) {
  const planes = readout ? boundaryMeshes(readout, positions, look().boundary) : [];
  return Plotly.react(el, [...traces(meta, positions), ...planes], layout(el), PLOT_CONFIG);
}

/** Tween linearly between consecutive `steps` (rows × 3), `duration` ms per leg. */
export function animateWarp3d(el, { meta, steps, duration = 350 }) {
  return new Promise((resolve) => {
    let leg = 1;
    let start = performance.now();
    const mix = new Float64Array(steps[0].length);
    const tick = (now) => {
      const a = steps[leg - 1];
      const b = steps[leg];
      const f = duration > 0 ? Math.min(1, (now - start) / duration) : 1;
      for (let i = 0; i < mix.length; i++) mix[i] = a[i] + (b[i] - a[i]) * f;
      renderWarp3d(el, { meta, positions: mix });
      if (f >= 1) {
        leg += 1;
        start = now;
        if (leg >= steps.length) return resolve();
      }
      requestAnimationFrame(tick);
    };
    if (steps.length < 2) {
      renderWarp3d(el, { meta, positions: steps.at(-1) });
      resolve();
      return;
    }
    requestAnimationFrame(tick);
  });
}
