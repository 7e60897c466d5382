// The comparison's wiring: two runs (A, the URL's config; B, A with the `b.` fields changed),
// each its own store, stream and warp view, kept on the same stage and training step. A leads
// the stages (the shared stepper, keys, "Play the layers" and the hands-free pass move A's view)
// and B follows each of A's moves (compare/pair.js matches the stage); both show the newest
// training step both have reached. The streams are the ordinary shared runs of /api/stream.

import { readFields } from './controls.js';
import { num } from './format.js';
import { applyStrings, language, pickLanguage, setLanguage, t } from './i18n.js';
import { bindKeys } from './keys.js';
import { lookOf } from './look.js';
import { HandsFree, readLoop } from './motion.js';
import { loadPlotlySoon, plotlyReady, whenPlotly } from './plotly-loader.js';
import { followPlotSizes } from './plot-sizes.js';
import { usePlotlyLocale } from './plotly-locale.js';
import { Presenter, presentAsked } from './present.js';
import { translateQueryErrors } from './query-errors.js';
import { renderCompareCurves } from './render/compare-curves.js';
import { Run } from './run.js';
import { State } from './state.js';
import { Theme, pickTheme } from './theme.js';
import { pageState, readUrl } from './url.js';
import { WarpView } from './warpview.js';
import { commonStep, describeDifferences, indexAtOrBefore, matchStage, sideTitle } from './compare/pair.js';
import { CompareLesson } from './compare/lesson.js';

const $ = (selector) => document.querySelector(selector);
const root = $('[data-compare]');
const embedded = root.dataset.embedMode === 'true';
const page = pageState();
const pair = JSON.parse($('#layerwarp-compare').textContent);
const fields = readFields($('[data-controls]'));
const { config, extra } = readUrl(fields, location.search, page);
const query = new URLSearchParams(location.search);
const pacing = {};
for (const name of ['every', 'rate']) if (extra[name] !== undefined) pacing[name] = extra[name];

setLanguage(pickLanguage());
usePlotlyLocale(language());
applyStrings();
translateQueryErrors(document, fields);
const languageMenu = $('[data-language]');
if (languageMenu) {
  languageMenu.value = document.documentElement.lang;
  languageMenu.addEventListener('change', () => {
    query.set('lang', languageMenu.value);
    location.search = query.toString();
  });
}

const { theme: shownTheme, chosen: themeChosen } = pickTheme();
const options = { stage: extra.stage, theme: shownTheme, themeChosen, present: presentAsked(), language: language() };
const differences = pair?.differences ?? [];
// narrower, or in presentation's large type, the legend would take the plot's room
const LEGEND_MIN_WIDTH = 420;
const sides = ['a', 'b'].map((letter) => {
  const el = root.querySelector(`[data-side="${letter}"]`);
  const state = new State(letter === 'a' ? config : pair?.b ?? config, options);
  const warp = new WarpView(el, state, { legend: () => !state.present && el.clientWidth >= LEGEND_MIN_WIDTH });
  const run = new Run(state, pacing, () => {});
  el.querySelector('[data-side-title]').textContent = sideTitle(differences, letter, t);
  return { letter: letter.toUpperCase(), el, state, warp, run, readout: el.querySelector('[data-side-readout]') };
});
const [a, b] = sides;
const handsFree = new HandsFree(root, a.warp, a.state, { loop: readLoop(query.get('loop')) ?? true });
$('[data-differences]').textContent = t('compare.title', { differences: describeDifferences(differences, t) });
new Presenter(document, a.state);
const theme = new Theme(document, a.state);
a.state.addEventListener('change', ({ detail }) => { // the look is A's; B draws in it too
  if (detail.what === 'theme') b.state.setTheme(a.state.theme, a.state.themeChosen);
  if (detail.what === 'present') b.state.setPresent(a.state.present);
  if (detail.what === 'theme' || detail.what === 'present') requestAnimationFrame(redraw);
});

// ---- the stage: A leads, B follows each move, at A's pace
const stageSlider = $('[data-compare-stage]');
a.state.addEventListener('change', ({ detail }) => {
  if (detail.what !== 'stage' && detail.what !== 'meta') return;
  const stages = a.state.meta?.stages ?? [];
  stageSlider.max = String(Math.max(0, stages.length - 1));
  stageSlider.value = String(a.state.stageIndex);
  stageSlider.setAttribute('aria-valuetext', $('[data-side="a"] [data-stage-name]').textContent);
  root.dataset.stage = a.state.meta ? a.state.stageName() : '';
  if (!b.state.meta || !a.state.meta) return;
  const target = matchStage(stages, a.state.stageIndex, b.state.meta.stages);
  if (a.warp.moving) b.warp.moveTo(target, a.warp.tempo);
  else if (target !== b.state.stageIndex) b.warp.jump(target);
});
b.state.addEventListener('change', ({ detail }) => { // B's first meta: open where A is
  if (detail.what !== 'meta' || !a.state.meta) return;
  b.warp.jump(matchStage(a.state.meta.stages, a.state.stageIndex, b.state.meta.stages));
});

// ---- the training step: both show the newest step both have reached
const TRAINING = new Set(['connecting', 'streaming', 'resumed', 'reconnecting']);
const timeline = $('[data-compare-timeline]');
let heldStep = null; // a step chosen on the timeline; null follows the newest common step
function shownStep() {
  const runs = sides.map(({ state }) => ({ steps: state.snapshots.map((s) => s.step), training: TRAINING.has(state.status.kind) }));
  const newest = commonStep(runs);
  return newest === null || heldStep === null ? newest : Math.min(heldStep, newest);
}
function syncSteps() {
  const step = shownStep();
  if (step === null) return;
  for (const { state } of sides) {
    const steps = state.snapshots.map((s) => s.step);
    const index = indexAtOrBefore(steps, step);
    const follow = index === steps.length - 1 && heldStep === null; // the store's cursor -1
    if (state.cursor !== (follow ? -1 : Math.max(0, index))) state.setCursor(follow ? steps.length : Math.max(0, index));
  }
  const steps = a.state.snapshots.map((s) => s.step);
  timeline.max = String(Math.max(0, steps.length - 1));
  timeline.value = String(Math.max(0, indexAtOrBefore(steps, step)));
  $('[data-compare-step]').textContent = t('compare.step', { step });
  root.dataset.step = String(step);
}
timeline.addEventListener('input', () => {
  const steps = a.state.snapshots.map((s) => s.step);
  heldStep = Number(timeline.value) >= steps.length - 1 ? null : steps[Number(timeline.value)];
  syncSteps();
});
const scrub = (move) => {
  const steps = a.state.snapshots.map((s) => s.step);
  const at = indexAtOrBefore(steps, shownStep() ?? 0) + move;
  heldStep = at >= steps.length - 1 ? null : steps[Math.max(0, at)];
  syncSteps();
};

// ---- drawing
let pending = 0;
function redraw() {
  pending = 0;
  for (const side of sides) {
    side.warp.draw();
    side.readout.textContent = readout(side.state);
    side.readout.dataset.kind = side.state.status.kind === 'done' ? `done-${side.state.status.reason}` : side.state.status.kind;
  }
  const curves = $('[data-view="compare-curves"]');
  if (plotlyReady() && !sides.some((s) => s.warp.animating)) {
    renderCompareCurves(curves, { runs: sides.map((s) => ({ letter: s.letter, title: sideTitle(differences, s.letter.toLowerCase(), t),
      snapshots: s.state.snapshots })), step: shownStep(), look: lookOf(a.state) });
  }
}
const redrawSoon = () => {
  pending ||= requestAnimationFrame(redraw);
};
/** "training… · step 120 · accuracy 0.95 (test 0.93)" for one side. */
function readout(state) {
  const { status } = state;
  const key = status.kind === 'done' ? `status.done.${status.reason}` : `status.${status.kind}`;
  const snapshot = state.current();
  if (!snapshot) return t(key, status);
  const { acc_train: train, acc_test: test } = snapshot.metrics;
  return t('compare.readout', { status: t(key, status), step: snapshot.step, train: num(train, 2), test: num(test, 2) });
}
for (const { state } of sides) {
  state.addEventListener('change', ({ detail }) => {
    if (['snapshot', 'status', 'run', 'meta'].includes(detail.what)) {
      syncSteps();
      redrawSoon();
      handsFree.poke();
    } else if (detail.what === 'cursor') {
      redrawSoon();
    }
  });
}

// ---- controls and keys
const speedMenu = $('[data-compare-speed]');
const setSpeed = (speed) => {
  for (const side of sides) side.warp.setSpeed(speed);
  speedMenu.value = String(a.warp.speed);
};
setSpeed(Number(query.get('speed') ?? 1));
speedMenu.addEventListener('change', () => setSpeed(Number(speedMenu.value)));
const trainingButton = $('[data-compare-action="toggle-training"]');
function toggleTraining() {
  const paused = a.state.paused;
  for (const { run } of sides) {
    if (paused) run.play();
    else run.pause();
  }
  trainingButton.textContent = t(a.state.paused ? 'transport.play' : 'transport.pause');
}
const actions = {
  'toggle-training': toggleTraining,
  'stage-prev': () => a.warp.step(-1),
  'stage-next': () => a.warp.step(1),
  'play-layers': () => a.warp.togglePlay(),
};
root.addEventListener('click', (event) => {
  const button = event.target.closest('[data-compare-action]');
  if (button) actions[button.dataset.compareAction]();
});
stageSlider.addEventListener('input', () => a.warp.jumpTo(Number(stageSlider.value)));
// the next lesson step keeps the look chosen here (presentation, theme), wherever it is shown
const carried = () => {
  const kept = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(a.state.urlParams())) {
    if (['present', 'theme'].includes(name)) {
      if (value) kept.set(name, value);
      else kept.delete(name);
    }
  }
  return kept.toString();
};
const lesson = new CompareLesson(document, query.get('lesson'), carried);
a.state.addEventListener('change', ({ detail }) => {
  if (detail.what === 'present' || detail.what === 'theme') lesson.refresh();
});
if (!embedded) {
  bindKeys(document, {
    present: () => a.state.setPresent(!a.state.present),
    presentLeave: () => a.state.setPresent(false),
    presenting: () => a.state.present,
    play: toggleTraining,
    stagePrevious: () => a.warp.step(-1),
    stageNext: () => a.warp.step(1),
    slower: () => setSpeed(a.warp.speed / 2),
    faster: () => setSpeed(a.warp.speed * 2),
    later: () => scrub(1),
    earlier: () => scrub(-1),
    lessonNext: () => lesson.go('next'),
    lessonPrevious: () => lesson.go('previous'),
    fullscreen: () => Presenter.toggleFullscreen(),
    theme: () => theme.toggle(),
  });
}
followPlotSizes(document, (el) => {
  if (plotlyReady() && el.layout && !sides.some((s) => s.warp.animating)) Plotly.Plots.resize(el).then(redrawSoon, () => {});
  else redrawSoon();
});

if (pair) {
  for (const { run } of sides) run.start();
  if (!extra.stage) handsFree.start();
}
document.addEventListener('visibilitychange', () => {
  for (const { run } of sides) run.setVisible(!document.hidden);
});
whenPlotly(() => {
  redraw();
  handsFree.poke();
});
loadPlotlySoon();
