// The layer playground (/playground): one 2×2 layer under the student's hands. Everything is
// computed here in the browser (playground/layer.js), so a drag costs no request; the URL is the
// state (playground/store.js) and the plane is SVG (playground/plane.js).

import { CONSTANTS } from './constants.js';
import { applyStrings, language, pickLanguage, setLanguage, t } from './i18n.js';
import { num, sig, vector } from './format.js';
import { Theme } from './theme.js';
import {
  ACTIVATIONS, STAGES, affine, det, gridVertices, orientation, positionsAt, tweenMatrix,
} from './playground/layer.js';
import { plan, uAt } from './playground/motion.js';
import { renderPlane, toData } from './playground/plane.js';
import { PlaygroundStore, tidy } from './playground/store.js';
import { samplePoints } from './playground/samples.js';

const $ = (selector) => document.querySelector(selector);
const NUDGE = 0.05;
const BIG_NUDGE = 0.25;
const GRID = { lines: 22, samples: 33 };

setLanguage(pickLanguage());
applyStrings();
$('[data-language]').value = language();

const root = $('[data-playground]');
const svg = $('[data-plane]');
const store = new PlaygroundStore(root);
const grid = gridVertices();
const sample = samplePoints();
const view = {
  u: STAGES.indexOf(store.stage), // the continuous stage axis: 0 input, 1 W, 2 +b, 3 σ
  extent: 2,
  animation: null, // {legs, start, to}
  dragging: null, // {handle, pointerId, offset}
  frame: 0, // drawn frames (svg data-frame), for bench/page.py
  pending: false, // a draw is booked for the next animation frame
  stale: true, // the text beside the plane needs redoing
};
const buffers = { grid: new Float64Array(grid.length), points: new Float64Array(sample.points.length) };

/**
 * Write `value` into `el`'s `key` (textContent, value, an attribute) only when it differs: a
 * drag redraws the side text every frame, and a rewrite of the same words still costs the
 * browser a style and layout pass over the panel (bench/page.py's playground frames).
 */
function put(el, key, value) {
  if (key === 'textContent' || key === 'value') {
    if (el[key] !== value) el[key] = value;
  } else if (el.getAttribute(key) !== value) el.setAttribute(key, value);
}

/** Where the handles sit at stage position u: images of e₁, e₂ and 0 under that stage's map. */
function handlesAt(u) {
  const { W, b } = store;
  if (u <= 1) {
    const M = tweenMatrix(W, Math.max(0, u));
    return { e1: [M[0][0], M[1][0]], e2: [M[0][1], M[1][1]], origin: [0, 0] };
  }
  const s = Math.min(1, u - 1);
  const o = [s * b[0], s * b[1]];
  return { e1: [o[0] + W[0][0], o[1] + W[1][0]], e2: [o[0] + W[0][1], o[1] + W[1][1]], origin: o };
}

/** A window (half-width of the shorter side, in data units) that holds every stage at rest. */
function fitExtent() {
  let far = CONSTANTS.dataExtent;
  for (let u = 0; u <= 3; u++) {
    const positions = positionsAt(grid, store.layer, u, buffers.grid);
    for (let i = 0; i < positions.length; i++) far = Math.max(far, Math.abs(positions[i]));
    for (const point of Object.values(handlesAt(u))) far = Math.max(far, Math.abs(point[0]), Math.abs(point[1]));
  }
  view.extent = Math.min(far * 1.12, 12);
}

function handleLabels() {
  const { W, b } = store;
  return {
    e1: `${t('pg.handle')}: ${t('pg.column', { j: 1, x: num(W[0][0]), y: num(W[1][0]) })}`,
    e2: `${t('pg.handle')}: ${t('pg.column', { j: 2, x: num(W[0][1]), y: num(W[1][1]) })}`,
    origin: `${t('pg.handle')}: ${t('pg.origin', { x: num(b[0]), y: num(b[1]) })}`,
  };
}

function draw() {
  const started = performance.now();
  view.pending = false;
  if (view.stale) describe();
  view.stale = false;
  const { u } = view;
  const mirrored = det(store.W) < 0 && u > 0 && u < 1;
  renderPlane(svg, {
    grid: positionsAt(grid, store.layer, u, buffers.grid),
    lines: GRID.lines,
    samples: GRID.samples,
    points: positionsAt(sample.points, store.layer, u, buffers.points),
    pointClasses: sample.classes,
    handles: handlesAt(u),
    extent: view.extent,
    selected: store.selected,
    labels: handleLabels(),
    badge: mirrored ? `${t('pg.mirrorFrame')}: F = [1, 0; 0, −1]` : '',
  });
  view.frame += 1;
  svg.dataset.frame = String(view.frame);
  if (view.animation) svg.dataset.animating = 'true';
  else delete svg.dataset.animating;
  svg.dataset.stage = view.animation ? '' : store.stage;
  svg.dataset.layer = `${store.W.flat().join(',')};${store.b.join(',')};${store.activation}`;
  svg.dataset.drawMs = (performance.now() - started).toFixed(2); // for bench/page.py
}

function scheduleDraw() {
  if (view.pending) return;
  view.pending = true;
  requestAnimationFrame(draw);
}

function describe() {
  const { W, b, activation, stage } = store;
  const sigma = activation;
  const corner = [1, 1];
  const moved = affine(Float64Array.from(corner), W, b);
  const bent = [ACTIVATIONS[activation](moved[0]), ACTIVATIONS[activation](moved[1])];
  const symbols = { input: 'a = x', W: 'W·a', b: 'W·a + b', act: `a′ = ${sigma}(W·a + b)` };
  const worked = {
    input: `a = ${vector(corner)}`,
    W: `W·${vector(corner)} = ${vector([moved[0] - b[0], moved[1] - b[1]])}`,
    b: `W·${vector(corner)} + b = ${vector(Array.from(moved))}`,
    act: `${sigma}(W·${vector(corner)} + b) = ${sigma}(${vector(Array.from(moved))}) = ${vector(bent)}`,
  };
  const rows = `[${W.map((row) => row.map((v) => num(v)).join(', ')).join('; ')}]`;
  put($('[data-pg-formula]'), 'textContent', [symbols[stage], `W = ${rows}`, `b = ${vector(b)}`, worked[stage]].join('\n'));
  put($('[data-stage-text]'), 'textContent', t(`stage.${stage}`));
  const kind = orientation(W);
  const verdict = $('[data-verdict]');
  const verdicts = { keeps: 'pg.keeps', mirrors: 'pg.mirrors', collapses: 'pg.collapses' };
  put(verdict, 'textContent', `${t('pg.det', { det: sig(det(W), 3) })} — ${t(verdicts[kind])}`);
  put(verdict, 'data-kind', kind);
  for (const button of document.querySelectorAll('[data-stage-button]')) {
    put(button, 'aria-pressed', String(button.dataset.stageButton === stage));
  }
  const form = $('[data-numbers]');
  W.flat().forEach((v, i) => {
    const input = form.querySelector(`[data-w-entry="${i}"]`);
    if (document.activeElement !== input) put(input, 'value', String(v));
  });
  b.forEach((v, i) => {
    const input = form.querySelector(`[data-b-entry="${i}"]`);
    if (document.activeElement !== input) put(input, 'value', String(v));
  });
  put($('[data-activation-menu]'), 'value', activation);
}

/** Tween from where the view is to `stage`, along the main view's path. */
function animateTo(stage) {
  const to = STAGES.indexOf(stage);
  const from = Math.round(view.u);
  store.setStage(stage);
  if (view.animation || from === to) {
    view.animation = null;
    view.u = to;
    scheduleDraw();
    return;
  }
  view.animation = { legs: plan(from, to), start: performance.now(), to };
  const tick = (now) => {
    if (!view.animation) return;
    const { u, done } = uAt(view.animation.legs, now - view.animation.start, view.animation.to);
    view.u = u;
    if (done) view.animation = null;
    draw();
    if (!done) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Show `stage` at rest, at once (a drag needs the stage its handle belongs to). */
function jumpTo(stage) {
  view.animation = null;
  view.u = STAGES.indexOf(stage);
  if (store.stage !== stage) store.setStage(stage);
}

/** Put `handle` at data point (x, y): a column of W, or b. */
function moveHandle(handle, [x, y], what) {
  const W = store.W.map((row) => row.slice());
  const b = store.b.slice();
  if (handle === 'origin') {
    b[0] = tidy(x);
    b[1] = tidy(y);
  } else {
    const j = handle === 'e1' ? 0 : 1;
    const o = handlesAt(view.u).origin;
    W[0][j] = tidy(x - o[0]);
    W[1][j] = tidy(y - o[1]);
  }
  store.setLayer({ W, b }, what);
}

/** A drag or nudge needs a stage where the handle means what it moves. */
function stageFor(handle) {
  if (handle === 'origin' && view.u < 2) jumpTo('b');
  else if (view.u < 1) jumpTo('W');
  else if (view.animation) jumpTo(store.stage);
}

svg.addEventListener('pointerdown', (event) => {
  const target = event.target.closest('[data-handle]');
  if (!target) return;
  event.preventDefault();
  const handle = target.dataset.handle;
  stageFor(handle);
  store.select(handle);
  target.focus({ preventScroll: true });
  svg.setPointerCapture(event.pointerId);
  // keep the grab's offset from the handle's centre, so the handle never jumps to the finger
  const [x, y] = toData(svg, event.clientX, event.clientY);
  const [hx, hy] = handlesAt(view.u)[handle];
  view.dragging = { handle, pointerId: event.pointerId, offset: [hx - x, hy - y] };
  svg.dataset.dragging = handle;
});
svg.addEventListener('pointermove', (event) => {
  if (!view.dragging || event.pointerId !== view.dragging.pointerId) return;
  const [x, y] = toData(svg, event.clientX, event.clientY);
  const { handle, offset } = view.dragging;
  moveHandle(handle, [x + offset[0], y + offset[1]], 'drag');
});
const endDrag = (event) => {
  if (!view.dragging || event.pointerId !== view.dragging.pointerId) return;
  view.dragging = null;
  delete svg.dataset.dragging;
  store.writeUrl(true);
  fitExtent();
  scheduleDraw();
};
svg.addEventListener('pointerup', endDrag);
svg.addEventListener('pointercancel', endDrag);

svg.addEventListener('keydown', (event) => {
  const target = event.target.closest('[data-handle]');
  const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[event.key];
  if (!target || !step) return;
  event.preventDefault();
  const handle = target.dataset.handle;
  stageFor(handle);
  store.select(handle);
  const size = event.shiftKey ? BIG_NUDGE : NUDGE;
  const [x, y] = handlesAt(view.u)[handle];
  moveHandle(handle, [x + step[0] * size, y + step[1] * size], 'layer');
});
svg.addEventListener('focusin', (event) => {
  const target = event.target.closest('[data-handle]');
  if (target) store.select(target.dataset.handle);
});

for (const button of document.querySelectorAll('[data-stage-button]')) {
  button.addEventListener('click', () => animateTo(button.dataset.stageButton));
}
$('[data-numbers]').addEventListener('input', (event) => {
  const { wEntry, bEntry } = event.target.dataset;
  const value = Number(event.target.value);
  if (event.target.value === '' || !Number.isFinite(value) || Math.abs(value) > 10) {
    event.target.setAttribute('aria-invalid', 'true');
    return;
  }
  event.target.removeAttribute('aria-invalid');
  const W = store.W.map((row) => row.slice());
  const b = store.b.slice();
  if (wEntry !== undefined) W[Math.floor(Number(wEntry) / 2)][Number(wEntry) % 2] = value;
  if (bEntry !== undefined) b[Number(bEntry)] = value;
  store.setLayer({ W, b });
});
$('[data-activation-menu]').addEventListener('change', (event) => store.setActivation(event.target.value));
$('[data-language]').addEventListener('change', (event) => store.setLanguage(event.target.value));

store.addEventListener('change', ({ detail }) => {
  if (detail.what === 'layer' || detail.what === 'activation') fitExtent();
  if (detail.what === 'language') {
    setLanguage(store.language);
    applyStrings();
  }
  view.stale = true; // the text is redrawn with the plane, once per frame however many moves came
  scheduleDraw();
});
new Theme(document, store); // its changes redraw above, like every change of the store
new ResizeObserver(scheduleDraw).observe(svg); // the plane's size follows the layout, not only the window
fitExtent();
draw();
root.dataset.ready = 'true';
