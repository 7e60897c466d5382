// The embed's wiring: URL → state → stream → the warp view, with no page chrome, and the
// postMessage protocol of messages.js for the host page around the iframe.

import { checkConfig, describeErrors } from './config-check.js';
import { readFields, validate } from './controls.js';
import { applyStrings, language, list, pickLanguage, setLanguage, t } from './i18n.js';
import { lookOf } from './look.js';
import { listen, post } from './messages.js';
import { renderFilmstrip } from './render/filmstrip.js';
import { tracedAt } from './render/trace.js';
import { HandsFree, readLoop } from './motion.js';
import { loadPlotlySoon, plotlyReady, whenPlotly } from './plotly-loader.js';
import { followPlotSizes, plotFitter } from './plot-sizes.js';
import { usePlotlyLocale } from './plotly-locale.js';
import { Run } from './run.js';
import { State } from './state.js';
import { Theme, pickTheme } from './theme.js';
import { matchingPreset } from './presets.js';
import { translateQueryErrors } from './query-errors.js';
import { checkTypedStage, pageState, queryString, readUrl, urlStage, writeUrl } from './url.js';
import { UrlNotice } from './url-notice.js';
import { WarpView } from './warpview.js';

const $ = (selector) => document.querySelector(selector);
const root = $('[data-embed]');
const query = new URLSearchParams(location.search);
const fields = readFields($('[data-controls]'));
const page = pageState();
const { config, extra, unknownPreset } = readUrl(fields, location.search, page);
const pacing = {};
for (const name of ['every', 'rate']) if (extra[name] !== undefined) pacing[name] = extra[name];
const autoplay = ['1', 'true'].includes(query.get('autoplay'));

setLanguage(pickLanguage());
usePlotlyLocale(language());
applyStrings();
translateQueryErrors(document, fields);

const LEGEND_MIN_WIDTH = 520; // narrower, the legend would cover the bar below the plot
const { theme: shownTheme, chosen: themeChosen } = pickTheme();
const state = new State(config, { stage: extra.stage, theme: shownTheme, themeChosen, language: language() });
// the embed's own parameters stay in its URL, so a reload inside the iframe looks the same
for (const name of ['autoplay', 'controls', 'speed']) if (query.has(name)) state.setParam(name, query.get(name));
if (readLoop(query.get('loop')) !== null) state.setParam('loop', query.get('loop'));
if (query.get('axes') === 'fixed') state.setParam('axes', 'fixed');
if (query.get('view') === 'filmstrip') state.setParam('view', 'filmstrip');
const tracedParam = query.get('trace'); // a point to follow through every stage, as on the page
if (tracedParam !== null && /^\d+$/.test(tracedParam)) state.setTraced(Number(tracedParam));
// A point clicked or tapped in the warp view: follow it, trace=<index> in the embed's URL.
const traceAt = (index) => state.setTraced(index);
const warp = new WarpView(document, state, { legend: () => root.clientWidth >= LEGEND_MIN_WIDTH,
  axes: query.get('axes') === 'fixed' ? 'fixed' : 'fitted', onPick: traceAt, chosen: () => !handsFree.on });
warp.setSpeed(Number(query.get('speed') ?? 1));
const handsFree = new HandsFree(document, warp, state, { loop: readLoop(query.get('loop')) ?? true });
// view=filmstrip: the input and every layer's output in a row under the warp view
const strip = $('[data-view="filmstrip"]');
strip.hidden = state.params.view !== 'filmstrip';
let stripFrame = 0;
/** Redraw the strip at the next frame (its canvases only when the step or the traced point moved). */
function drawStrip() {
  if (strip.hidden || stripFrame) return;
  stripFrame = requestAnimationFrame(() => {
    stripFrame = 0;
    const snapshot = state.current();
    if (snapshot) renderFilmstrip(strip, { snapshot, current: state.stageName(), traced: state.traced, look: lookOf(state) });
  });
}
strip.addEventListener('click', (event) => { // a frame: show its stage in the warp view
  const frame = event.target.closest('[data-filmstrip-stage]');
  if (frame && state.meta) warp.goTo(state.meta.stages.indexOf(frame.dataset.filmstripStage));
});

new Theme(document, state); // ?theme=, else the system's: the main page's own code
const readout = $('[data-embed-readout]');
const toggle = $('[data-action="toggle"]');
const notice = new UrlNotice(document);
/** Name a typed URL's unknown name on the embed and to its host. */
function unknown(kind, name, allowed) {
  post('error', { request: null, message: notice.unknown(kind, name, allowed) });
}
let holdAtFirst = !autoplay; // without autoplay: show step 0, then wait for play
let lastSent = null;

const run = new Run(state, pacing, (errors) => state.setStatus('invalid', { message: describeErrors(errors) }));
run.visible = false; // the stream opens when the embed is first seen (the observer below)
run.takeTurns(); // eight embeds in sight share a browser's six connections (turns.js)

function urlExtra() {
  const preset = matchingPreset(page.presets, state.config)?.name;
  const stage = handsFree.on ? state.wantedStage : urlStage(state, state.wantedStage);
  return { preset, ...pacing, stage, lang: query.get('lang'), ...state.urlParams() };
}

function start() {
  writeUrl(state.config, urlExtra());
  $('[data-open-full]').href = `/?${queryString(state.config, urlExtra())}`;
  const errors = validate(fields, state.config);
  if (Object.keys(errors).length) {
    state.setStatus('invalid', { message: describeErrors(errors) });
    return;
  }
  run.start();
}

const playing = () => !state.paused && !['done', 'invalid', 'error'].includes(state.status.kind);

function play() {
  holdAtFirst = false;
  if (state.paused) run.play();
}

function pause() {
  holdAtFirst = false;
  run.pause();
}

function drawReadout() {
  const snapshot = state.current();
  const { kind } = state.status;
  let text = '';
  if (kind === 'invalid' || kind === 'error') text = state.status.message;
  else if (snapshot) {
    text = t('embed.readout', {
      step: snapshot.step, steps: state.config.steps,
      accuracy: Math.round(100 * (snapshot.metrics.acc_test ?? snapshot.metrics.acc_train)),
    });
    if (kind === 'done') text += ` · ${t(`status.done.${state.status.reason}`)}`;
    else if (state.paused) text += ` · ${t('status.paused')}`;
  } else text = t(`status.${kind}`, state.status);
  readout.textContent = text;
  readout.dataset.kind = kind === 'done' ? `done-${state.status.reason}` : kind;
  const label = playing() ? 'transport.pause' : 'transport.play';
  toggle.textContent = playing() ? '❚❚' : '▶';
  toggle.setAttribute('aria-label', t(label));
  toggle.disabled = kind === 'done' || kind === 'invalid';
}

function sendSnapshot(snapshot) {
  if (lastSent === snapshot.step) return;
  lastSent = snapshot.step;
  const { metrics } = snapshot;
  post('snapshot', {
    step: snapshot.step,
    accuracy: { train: metrics.acc_train, test: metrics.acc_test },
    loss: { train: metrics.loss_train, test: metrics.loss_test },
  });
}

checkTypedStage(state, extra.stage, (typed, allowed) => unknown('stage', typed, allowed));

state.addEventListener('change', ({ detail }) => {
  switch (detail.what) {
    case 'config':
      start();
      break;
    case 'meta': {
      writeUrl(state.config, urlExtra());
      post('ready', { config: state.config, stages: state.meta.stages, stage: state.stageName(), classes: state.meta.classes });
      break;
    }
    case 'snapshot':
      if (holdAtFirst) {
        holdAtFirst = false;
        run.pause();
      }
      warp.drawSoon();
      drawStrip();
      sendSnapshot(state.current());
      handsFree.poke();
      break;
    case 'stage':
      post('stage', { stage: state.stageName(), index: state.stageIndex });
      drawStrip();
      writeUrl(state.config, urlExtra()); // the motion's stages stay out of it: a reload plays again
      break;
    case 'theme':
      writeUrl(state.config, urlExtra());
      warp.draw();
      drawStrip();
      break;
    case 'traced':
      writeUrl(state.config, urlExtra());
      warp.draw();
      drawStrip();
      break;
    case 'status':
    case 'paused':
      handsFree.poke();
      if (state.status.kind === 'done') post('done', { reason: state.status.reason, step: state.status.step });
      if (state.status.kind === 'invalid' || state.status.kind === 'error') {
        post('error', { request: null, message: state.status.message });
      }
      break;
    default:
  }
  drawReadout();
});

const actions = {
  toggle: () => (playing() ? pause() : play()),
  'stage-prev': () => warp.step(-1),
  'stage-next': () => warp.step(1),
};
document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action]');
  if (button && actions[button.dataset.action]) actions[button.dataset.action](button);
});
$('[data-stage-slider]').addEventListener('input', (event) => warp.jumpTo(Number(event.target.value)));

listen({
  play,
  pause,
  setStage: ({ stage }) => {
    const stages = state.meta?.stages ?? [];
    const index = typeof stage === 'number' ? stage : stages.indexOf(stage);
    if (!state.meta || index < 0 || index >= stages.length) {
      post('error', { request: 'setStage', message: t('embed.noStage', { stage, stages: list(stages) }) });
      return;
    }
    warp.goTo(index);
  },
  setConfig: async ({ config: patch }) => {
    const { config: checked, errors } = await checkConfig(fields, state.config, patch);
    if (errors) {
      post('error', { request: 'setConfig', message: describeErrors(errors), fields: errors });
      return;
    }
    holdAtFirst = false;
    state.setConfig(checked);
  },
  trace: ({ index }) => { // one point after every stage of the step shown, input included
    const snapshot = state.current();
    const count = state.meta ? state.meta.labels.length : 0;
    if (!snapshot || index >= count) {
      post('error', { request: 'trace', message: t('embed.noPoint', { index, count }) });
      return;
    }
    const stages = {};
    for (const name of snapshot.meta.stages) stages[name] = tracedAt(snapshot, name, index);
    post('trace', { index, step: snapshot.step, stages });
  },
});

/** The height the embed wants at its width: its bars plus a 4:3 plot. For auto-height hosts. */
let lastHeight = 0;
new ResizeObserver(() => {
  const plot = $('[data-view="warp"]');
  const chrome = root.getBoundingClientRect().height - plot.getBoundingClientRect().height;
  const height = Math.ceil(chrome + Math.max(160, root.clientWidth * 0.75));
  if (height === lastHeight) return;
  lastHeight = height;
  post('resize', { height, width: root.clientWidth });
}).observe(root);

// the status line may wrap, the strip's captions too, and the frame may change size: the plot
// follows its box, not the window, and a fit owed during a tween comes at its end
followPlotSizes(document, plotFitter(warp, plotlyReady));

if (unknownPreset) unknown('preset', unknownPreset, page.presets.map((p) => p.name));
// A course page may hold many embeds and a browser gives each server six connections: an embed
// holds a stream only while some of it is on screen and its tab is shown, and resumes where it was.
let onScreen = false;
const seen = () => run.setVisible(onScreen && !document.hidden);
new IntersectionObserver((entries) => {
  onScreen = entries.at(-1).isIntersecting;
  root.dataset.onScreen = String(onScreen);
  seen();
}).observe(root);
document.addEventListener('visibilitychange', seen);

start();
drawReadout();
if (autoplay && !extra.stage) handsFree.start();
whenPlotly(() => {
  warp.draw();
  handsFree.poke();
});
loadPlotlySoon();
