// Wiring: URL → state → stream → views. Every DOM hook is a data-* attribute.

import { bindControls, readFields, showConfig, showErrors, validate } from './controls.js';
import { applyStrings, language, pickLanguage, setLanguage, t } from './i18n.js';
import { bindKeys } from './keys.js';
import { EmbedCode } from './embed-code.js';
import { Exports } from './export.js';
import { Lessons } from './lessons.js';
import { HandsFree, readLoop } from './motion.js';
import { LoadRun } from './load-run.js';
import { OwnData } from './own-data.js';
import { loadPlotlySoon, plotlyReady, whenPlotly } from './plotly-loader.js';
import { followPlotSizes, plotFitter } from './plot-sizes.js';
import { usePlotlyLocale } from './plotly-locale.js';
import { Presenter, presentAsked } from './present.js';
import { followPrinting } from './print.js';
import { PresetMenu } from './presets.js';
import { translateQueryErrors } from './query-errors.js';
import { restoreUrl } from './restore.js';
import { Theme, pickTheme } from './theme.js';
import { Run } from './run.js';
import { State } from './state.js';
import { checkTypedStage, pageState, readUrl, urlStage, writeUrl } from './url.js';
import { UrlNotice } from './url-notice.js';
import { Views } from './views.js';
import { WarpView } from './warpview.js';

const $ = (selector) => document.querySelector(selector);
const form = $('[data-controls]');
const fields = readFields(form);
const page = pageState();
const { config, extra, unknownPreset } = readUrl(fields, location.search, page);
/** `values` over the defaults, field by field (no custom points: ''). */
const withDefaults = (values) => Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, values[name] ?? f.default]));
const pacing = {};
for (const name of ['every', 'rate']) if (extra[name] !== undefined) pacing[name] = extra[name];

setLanguage(pickLanguage());
usePlotlyLocale(language());
applyStrings();
translateQueryErrors(document, fields);
$('[data-language]').value = document.documentElement.lang;

const query = new URLSearchParams(location.search);
const { theme: shownTheme, chosen: themeChosen } = pickTheme();
const state = new State(config, {
  stage: extra.stage, theme: shownTheme, themeChosen, present: presentAsked(), language: language(),
});
const presenter = new Presenter(document, state);
const theme = new Theme(document, state);
// A point clicked or tapped in the warp or input view: trace it, trace=<index> in the URL.
const traceAt = (index) => state.setTraced(index);
const warp = new WarpView(document, state, {
  axes: query.get('axes') === 'fixed' ? 'fixed' : 'fitted',
  onSpeed: (speed) => state.setParam('speed', speed === 1 ? null : speed),
  onPick: traceAt,
  chosen: () => !handsFree.on,
});
warp.setSpeed(Number(query.get('speed') ?? 1));
// a URL that names a stage or a lesson shows that; otherwise the layers play by themselves
const handsFree = new HandsFree(document, warp, state, { loop: readLoop(query.get('loop')) ?? true });
if (readLoop(query.get('loop')) !== null) state.setParam('loop', query.get('loop'));
if (warp.axes === 'fixed') state.setParam('axes', 'fixed');
const notice = new UrlNotice(document);
const views = new Views(document, state, { onPick: traceAt, onNoRegions: (activation) => {
  const why = activation === 'linear' ? t('url.noRegionsLinear')
    : t('url.noRegionsSmooth', { activation: t(`choice.activation.${activation}`) });
  if (!lessons.active) notice.dropped('regions', t('url.noRegions', { why })); // a lesson's own regions go quietly
}, faintPoints: () => Boolean(lessons.active?.faint_points) });
const run = new Run(state, pacing, (errors) => showErrors(form, errors));
if (unknownPreset) notice.unknown('preset', unknownPreset, page.presets.map((p) => p.name));
const presetMenu = new PresetMenu(document, page.presets, (preset) => state.setConfig(withDefaults(preset.config)));

function urlExtra() {
  const lang = new URLSearchParams(location.search).get('lang');
  const stage = handsFree.on ? state.wantedStage : urlStage(state, state.wantedStage);
  return { preset: presetMenu.current, ...pacing, stage, lang, ...state.urlParams() };
}

let restoring = false; // Back or Forward is putting an entry on the page: rewrite it, add none
/**
 * The store's state in the address bar: a change a person chose is a history entry (url.js);
 * not while an entry is restored, nor on a student's page that follows its class (the
 * teacher's moves are not the student's).
 */
function showUrl() {
  const c = state.classroom;
  const following = Boolean(c && c.role === 'student' && !c.ended && c.mode === 'follow');
  writeUrl(state.config, urlExtra(), { remember: !restoring && !following });
}

/** Validate the config; start it if the server would accept it, else name each bad field. */
function restart() {
  showConfig(fields, state.config);
  presetMenu.show(state.config);
  showUrl();
  const errors = validate(fields, state.config);
  showErrors(form, errors);
  if (Object.keys(errors).length) {
    run.stream.close();
    state.setStatus('invalid', { message: Object.entries(errors).map(([k, v]) => `${k} ${v}`).join('; ') });
    return;
  }
  run.start();
}

checkTypedStage(state, extra.stage, (typed, allowed) => notice.unknown('stage', typed, allowed));

state.addEventListener('change', ({ detail }) => {
  switch (detail.what) {
    case 'config':
      restart();
      break;
    case 'meta':
      showUrl();
      $('[data-axes-choice]').hidden = state.meta.dims !== 3;
      document.documentElement.dataset.dims = String(state.meta.dims); // present.css lays 3-D out its own way
      break;
    case 'snapshot':
      if (state.cursor === -1) warp.drawSoon();
      views.schedule();
      handsFree.poke();
      break;
    case 'cursor':
      warp.draw();
      views.schedule();
      break;
    case 'stage': // the motion's stages stay out of the URL: a reload plays again (urlExtra)
      showUrl();
      break;
    case 'classroom': // class=<code> in the URL: a reload leads or follows the class again
      showUrl();
      break;
    case 'param':
      showUrl();
      views.schedule(); // the filmstrip and the regions are page parameters
      break;
    case 'traced':
      showUrl();
      warp.draw();
      views.schedule();
      break;
    case 'theme':
      showUrl();
      redrawAll();
      break;
    case 'present':
      showUrl();
      requestAnimationFrame(redrawAll); // the plots' boxes change with the layout: let it settle first
      break;
    case 'run': // a new run is 'connecting': a diverged run's notice goes at once, not when the stream answers
      views.drawStatus();
      views.schedule();
      break;
    case 'status':
    case 'paused':
      views.drawStatus();
      handsFree.poke();
      break;
    default:
      views.schedule();
  }
});

bindControls(fields, (name, value) => state.setConfig({ ...state.config, [name]: value }));

const actions = {
  play: () => run.play(),
  pause: () => run.pause(),
  step: () => run.stepOnce(),
  reset: () => restart(),
  'stage-prev': () => warp.step(-1),
  'stage-next': () => warp.step(1),
  'play-layers': () => warp.togglePlay(),
  'lower-lr': (button) => state.setConfig({ ...state.config, lr: Number(button.dataset.lr) }),
};
document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action]');
  if (button && actions[button.dataset.action]) actions[button.dataset.action](button);
});

$('[data-stage-slider]').addEventListener('input', (event) => warp.jumpTo(Number(event.target.value)));
$('[data-view="filmstrip"]').addEventListener('click', (event) => { // a frame: show it above
  const frame = event.target.closest('[data-filmstrip-stage]');
  if (frame && state.meta) warp.goTo(state.meta.stages.indexOf(frame.dataset.filmstripStage));
});
$('[data-axes]').value = warp.axes;
$('[data-axes]').addEventListener('change', (event) => {
  warp.setAxes(event.target.value);
  state.setParam('axes', warp.axes === 'fitted' ? null : warp.axes);
});
$('[data-timeline]').addEventListener('input', (event) => state.setCursor(Number(event.target.value)));
$('[data-language]').addEventListener('change', (event) => {
  const query = new URLSearchParams(location.search);
  query.set('lang', event.target.value);
  location.search = query.toString();
});

/** Redraw every plot: presentation mode and the theme change their fonts and colours (sizes: refit). */
function redrawAll() {
  warp.draw(); // the plot, or before plotly.js has run the sketch
  views.schedule();
}
/** One plot's box changed size (a lesson, presentation mode, a card shown): fit it again. */
const refit = plotFitter(warp, plotlyReady);
followPlotSizes(document, refit);
followPrinting(document, { form, settings: $('[data-print-settings]'), fitNow: refit.now, fit: refit });
const lessons = new Lessons(document, {
  state,
  run,
  apply: (config, stage) => state.setConfig(withDefaults(config), { stage }),
});
const lessonsLoaded = lessons.load().then(() => {
  const { asked, steps } = lessons;
  if (!asked || !steps.length || steps.some((step) => step.id === asked)) return;
  const ids = steps.map((step) => step.id);
  notice.unknown('lesson', asked, ids, (near) => lessons.go(ids.indexOf(near)));
  state.setParam('lesson', null);
  if (!extra.stage) handsFree.start(); // the link opened no lesson: the warp plays, as on a plain link
});
window.addEventListener('popstate', () => {
  restoring = true;
  try {
    restoreUrl({ state, fields, presets: page.presets, lessons, warp, axesMenu: $('[data-axes]') });
  } finally {
    restoring = false;
  }
});
const scrub = (move) => {
  const at = state.cursor === -1 ? state.snapshots.length - 1 : state.cursor;
  state.setCursor(at + move);
};
bindKeys(document, {
  present: () => presenter.toggle(),
  presentLeave: () => state.setPresent(false),
  presenting: () => state.present,
  play: () => (state.paused ? run.play() : run.pause()),
  stagePrevious: () => warp.step(-1),
  stageNext: () => warp.step(1),
  slower: () => warp.changeSpeed(-1),
  faster: () => warp.changeSpeed(1),
  later: () => scrub(1),
  earlier: () => scrub(-1),
  lessonNext: () => lessons.next(),
  lessonPrevious: () => lessons.previous(),
  fullscreen: () => Presenter.toggleFullscreen(),
  theme: () => theme.toggle(),
});

// a class: this page leads it (Start a class) or follows it (/join/<code> → ?class=<code>)
/** A class's stream pacing (every, rate) in place of the page's; whether it changed. */
function setPacing(every, rate) {
  let changed = false;
  for (const [name, value] of [['every', every], ['rate', rate]]) {
    if (value === undefined || value === null || String(pacing[name]) === String(value)) continue;
    pacing[name] = value;
    changed = true;
  }
  return changed;
}
// The class's own modules are not in the first load: a page that names a class imports them at
// once (and preloads them); any other page once its first plots are drawn, so that on a phone's
// link they do not queue before plotly.js. "Start a class" pressed before then imports them.
// A failed import (the server away) is tried again by the next call.
let classroom = null;
const classModules = () => (classroom ??= import('./classroom/classroom.js').then(({ Classroom }) => new Classroom(document, {
  state, warp, run, lessons, lessonsLoaded, pacing, setPacing, withDefaults, stopMotion: () => handsFree.stop(),
}), (error) => {
  classroom = null;
  throw error;
}));
const classUnreachable = () => { $('[data-class-error]').textContent = t('class.unreachable'); };
$('[data-class-start]').addEventListener('click', () => classModules().then((c) => c.start(), classUnreachable));

// your own data, export, load run, embed code: each a module of its own
const replace = (patch) => state.setConfig({ ...state.config, ...patch });
new OwnData(document, state, { commit: replace });
new Exports(document, state);
new LoadRun(document, { state, fields, apply: replace });
new EmbedCode(document, state);

// The stream opens at once. plotly.js runs after the first snapshot is sketched (or after a
// moment, whatever happens): the plots draw when it has (they skip drawing until then).
restart();
if (!extra.stage && !extra.lesson && !query.has('class')) handsFree.start();
if (query.has('class')) classModules().then((c) => c.open(query.get('class')), classUnreachable);
// a hidden tab lets its stream go and resumes where it was when shown again
document.addEventListener('visibilitychange', () => run.setVisible(!document.hidden));
whenPlotly(() => {
  warp.draw();
  views.schedule();
  handsFree.poke();
  setTimeout(() => classModules().catch(() => {}), 0); // after the first plots' task
});
loadPlotlySoon();
