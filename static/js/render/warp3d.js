// The warp view for width 3: scatter3d, tweened by the page (scatter3d has no Plotly
// transitions). uirevision keeps the user's camera across every update. The traced point's
// ring and path are warp.js's, in three coordinates.

import { boundaryMeshes } from './boundaries3d.js';
import { DEFAULT_EYE, axesOnScreen, sceneFit } from './scenefit.js';
import { sceneTicks } from './scene-ticks.js';
import { LINES, MARKERS, PLOT_CONFIG, column, font, gridColumns, marker, pointGroups } from './style.js';
import { LEGEND_BESIDE_EMS, groupLegend, legendBeside, legendKey, pointIndices, tracedTraces } from './warp.js';

function traces(meta, positions, look) {
  const { t } = look;
  const [gx, gy, gz] = gridColumns(meta, positions, 3);
  const out = [{ type: 'scatter3d', mode: 'lines', x: gx, y: gy, z: gz, name: t('grid'),
    hoverinfo: 'skip', line: { color: look.grid, width: LINES.grid3d }, showlegend: false }];
  for (const group of pointGroups(meta)) {
    out.push({
      // each point's index as customdata, hoverinfo 'none': no tooltip, but a click picks it
      type: 'scatter3d', mode: 'markers', hoverinfo: 'none',
      customdata: pointIndices(meta, group.rows),
      ...groupLegend(look, group),
      x: column(positions, 3, group.rows, 0),
      y: column(positions, 3, group.rows, 1),
      z: column(positions, 3, group.rows, 2),
      marker: { ...marker(look, group.c, group.part, MARKERS.size3d), line: undefined },
    });
  }
  return out;
}

/**
 * One base layout per look, reused; each draw adds the scene's window and the camera the
 * scene has now (a drag's, or one set through the API), so a new window never moves the camera.
 */
const layouts = new Map();
function baseLayout(el, look, legend) {
  const { presentPx, ink } = look;
  const beside = legend && legendBeside(el, look);
  const key = `${presentPx}-${ink}-${beside}-${legend}`;
  if (!layouts.has(key)) layouts.set(key, buildLayout(look, beside, legend));
  return layouts.get(key);
}

function buildLayout(look, beside, showLegend) {
  const { presentPx } = look;
  // A scene draws its labels in WebGL, where a font of s px shows about s²/12 px tall (measured
  // in Chromium): √(12·p) shows them at the page's p px. Fewer ticks keep the labels apart.
  const labels = { size: Math.round(Math.sqrt(12 * presentPx)) };
  const axis = presentPx ? { nticks: 5, tickfont: labels, title: { font: labels } } : {};
  const legend = beside ? { orientation: 'v', x: 1, xanchor: 'left', y: 1, yanchor: 'top' } : { orientation: 'h', y: 0 };
  return {
    margin: { l: 0, r: 0, t: 0, b: 0 },
    font: font(look),
    uirevision: 'warp3d',
    showlegend: showLegend,
    legend: { ...legend, font: font(look, 11) },
    paper_bgcolor: 'rgba(0,0,0,0)',
    scene: { aspectmode: 'manual', uirevision: 'warp3d', xaxis: axis, yaxis: axis, zaxis: axis },
  };
}

/**
 * The scene's shape and camera for the plot area it has (render/scenefit.js): fitted again
 * only when that area changes (a resize, presentation, a lesson), from the camera's direction
 * then — the default's or the user's drag — so a new stage or snapshot never moves the camera.
 */
const fits = new WeakMap();
function plotArea(el, look, shown) {
  const size = el._fullLayout?._size;
  if (size && size.w > 0 && size.h > 0) return { w: size.w, h: size.h };
  const legend = shown && legendBeside(el, look) ? LEGEND_BESIDE_EMS * look.presentPx : 0; // before the first draw: an estimate
  return { w: Math.max(50, (el.clientWidth || 600) - legend), h: Math.max(50, el.clientHeight || 500) };
}

function fitted(el, look, legend) {
  const { w, h } = plotArea(el, look, legend);
  const { presentPx } = look;
  const label = presentPx || 17; // the tick labels' room: below the box they hang lower
  const margin = { x: Math.round(1.5 * label), y: Math.round(2.2 * label) };
  const key = `${Math.round(w)}×${Math.round(h)}+${margin.x}`;
  const now = el.layout?.scene?.camera;
  const last = fits.get(el);
  if (last?.key === key) return { key, aspectratio: last.aspectratio, camera: now ?? last.camera };
  // the direction the camera looks from now: the default's, or the user's after a drag
  const from = now?.eye ? { x: now.eye.x - (now.center?.x ?? 0), y: now.eye.y - (now.center?.y ?? 0),
    z: now.eye.z - (now.center?.z ?? 0) } : DEFAULT_EYE;
  const fit = sceneFit(w, h, margin, from);
  const camera = { ...now, eye: fit.eye, center: fit.center };
  fits.set(el, { key, aspectratio: fit.aspectratio, camera });
  return { key, aspectratio: fit.aspectratio, camera };
}

function layout(el, window, look, legend) {
  const base = baseLayout(el, look, legend);
  const axis = (i) => ({ ...base.scene.xaxis, autorange: false, range: [window.lo[i], window.hi[i]] });
  const { aspectratio, camera } = fitted(el, look, legend);
  if (look.presentPx) { // labels as many as stay apart on screen (render/scene-ticks.js)
    const { w, h } = plotArea(el, look, legend);
    const point = (p) => [p.x, p.y, p.z];
    const onScreen = axesOnScreen([aspectratio.x, aspectratio.y, aspectratio.z], point(camera.eye), point(camera.center), w, h);
    const [x, y, z] = sceneTicks(window, onScreen, look.presentPx);
    return { ...base, scene: { ...base.scene, xaxis: { ...axis(0), ...x }, yaxis: { ...axis(1), ...y },
      zaxis: { ...axis(2), ...z }, aspectratio, camera } };
  }
  // an axis drawn shorter than the others (the box stretched to its card) gets fewer labels,
  // in proportion, so they stay apart (on a phone seven z labels ran into each other)
  const ticks = (i, length) => ({ ...axis(i), nticks: Math.max(3, Math.round(5 * length / Math.max(aspectratio.x, aspectratio.z))) });
  return { ...base, scene: { ...base.scene, xaxis: ticks(0, aspectratio.x), yaxis: ticks(1, aspectratio.y),
    zaxis: ticks(2, aspectratio.z), aspectratio, camera } };
}

/** After a draw: if the plot area came out another size than the fit assumed, fit again. */
function refit(el, key, look, legend) {
  const again = fitted(el, look, legend);
  if (again.key === key) return undefined;
  el.dataset.sceneFit = again.key;
  return Plotly.relayout(el, { 'scene.aspectratio': again.aspectratio, 'scene.camera': again.camera });
}

/**
 * plotly.js draws a scene at twice the screen's pixels by default (plotGlPixelRatio 2): on a
 * 1× screen that is four times the fill work for nothing a person can see, and a tween's frame
 * rate falls with it (bench/page.py). The screen's own ratio, 1 to 2.
 */
const sceneConfig = () => ({ ...PLOT_CONFIG, plotGlPixelRatio: Math.min(2, Math.max(1, window.devicePixelRatio || 1)) });

const PAD = 0.06; // share of each side added around the points, as in 2-D
const FLAT = 1e-6; // an axis spread less than this share of the widest one is flat

/** The box around every row of each positions array (rows × 3), padded: {lo, hi}. */
export function sceneWindow(list) {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const positions of list) {
    for (let i = 0; i < positions.length; i++) {
      const axis = i % 3;
      const v = positions[i];
      if (v < lo[axis]) lo[axis] = v;
      if (v > hi[axis]) hi[axis] = v;
    }
  }
  // A flat axis (the input plane's z, a dead unit's) takes the widest axis's half: fitted to its
  // nothing, it was labelled ±0.001 — a scale that says something false about the picture.
  const widest = Math.max(1e-3, ...[0, 1, 2].map((axis) => (hi[axis] - lo[axis]) / 2));
  for (let axis = 0; axis < 3; axis++) {
    const own = (hi[axis] - lo[axis]) / 2;
    const half = (own > FLAT * widest ? own : widest) * (1 + PAD);
    const centre = (lo[axis] + hi[axis]) / 2;
    lo[axis] = centre - half;
    hi[axis] = centre + half;
  }
  return { lo, hi };
}

/** Olah's fixed window: the box around every stage and tween frame of one snapshot. */
const fixedWindows = new WeakMap();
export function stagesWindow(snapshot) {
  if (!fixedWindows.has(snapshot)) {
    const names = [...snapshot.meta.stages, ...snapshot.tweens.map((tw) => tw.name)];
    fixedWindows.set(snapshot, sceneWindow(names.map((name) => snapshot.stage(name))));
  }
  return fixedWindows.get(snapshot);
}

/** The window `f` of the way from `a` to `b`. */
export function mixWindows(a, b, f) {
  const mix = (x, y) => x.map((v, i) => v + (y[i] - v) * f);
  return { lo: mix(a.lo, b.lo), hi: mix(a.hi, b.hi) };
}

/**
 * data: {meta, positions (rows × 3), readout (only in the last space: draws its planes),
 * window ({lo, hi} per axis; by default the positions' own), traced ({path: [[x, y, z], …]}
 * of the traced point up to this stage, or null), legend (false: none, as the 2-D view's
 * option: a narrow embed, the comparison's second view), look (style.js plotLook)}.
 */
export function renderWarp3d(el, { meta, positions, readout = null, window = null, traced = null, legend = true, look }) {
  const planes = readout ? boundaryMeshes(readout, positions, look.boundary) : [];
  const box = window ?? sceneWindow([positions]);
  el.dataset.sceneWindow = JSON.stringify(box); // what the axes show, for a reader of the page
  const drawn = layout(el, box, look, legend);
  const { key } = fits.get(el);
  el.dataset.sceneFit = key;
  const key3d = legend ? legendKey(look, 3) : []; // presentation's "test" entry, with the legend
  return Plotly.react(el, [...traces(meta, positions, look), ...planes, ...tracedTraces(traced, look, 3), ...key3d], drawn,
    sceneConfig()).then(() => refit(el, key, look, legend));
}

/** The traced point's ring alone where `positions` put it (a tween's frame), or null. */
function ringAt(meta, positions, index) {
  if (!Number.isInteger(index)) return null;
  const row = (meta.gridRows + index) * 3;
  return { path: [Array.from(positions.subarray(row, row + 3))] };
}

/**
 * Tween linearly between consecutive `steps` (rows × 3), `duration` ms per leg, in one
 * `window` (a leg's axes never move), or with `settle` from `window` to `settle` as it goes.
 * The traced point (`traced`, its index, or null) keeps its ring as it moves; its path waits
 * for the stage the tween ends on.
 */
export function animateWarp3d(el, { meta, steps, duration = 350, window = null, settle = null, traced = null, legend = true, look }) {
  return new Promise((resolve) => {
    let leg = 1;
    let start = performance.now();
    const mix = new Float64Array(steps[0].length);
    const tick = (now) => {
      const a = steps[leg - 1];
      const b = steps[leg];
      // a frame's time can precede `start` (it is when the frame began): never step back past a
      const f = duration > 0 ? Math.max(0, Math.min(1, (now - start) / duration)) : 1;
      for (let i = 0; i < mix.length; i++) mix[i] = a[i] + (b[i] - a[i]) * f;
      const box = settle ? mixWindows(window, settle, f) : window;
      renderWarp3d(el, { meta, positions: mix, window: box, traced: ringAt(meta, mix, traced), legend, look });
      if (f >= 1) {
        leg += 1;
        start = now;
        if (leg >= steps.length) return resolve();
      }
      requestAnimationFrame(tick);
    };
    if (steps.length < 2) {
      renderWarp3d(el, { meta, positions: steps.at(-1), window: settle ?? window,
        traced: ringAt(meta, steps.at(-1), traced), legend, look });
      resolve();
      return;
    }
    requestAnimationFrame(tick);
  });
}
