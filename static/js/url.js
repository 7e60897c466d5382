// The query string is the state: config fields by their TrainConfig names, plus the stage
// shown and the stream's pacing. Opening the URL reproduces the run.

const EXTRA = ['every', 'rate', 'stage', 'lang', 'lesson', 'present', 'theme', 'view', 'regions', 'axes', 'speed', 'trace'];

/** Parse a field's text by its kind; undefined when it does not parse. */
export function parseValue(kind, text) {
  if (text === null || text === undefined) return undefined;
  if (kind === 'flag') return text === 'true' || text === '1' || text === 'on';
  // plain ASCII digits with an optional minus, as the API reads an integer (params.py): not
  // ' 10', '+1', '1_0' or '10.0', which it refuses naming the field
  if (kind === 'integer') return /^-?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (kind === 'number') return text.trim() === '' ? Number.NaN : Number(text);
  return text;
}

/**
 * What the server read from this page's URL (pages.py): `config`, the config the URL states as
 * /api/config resolves it (null when a field is bad), and every preset.
 */
export function pageState(root = document) {
  const block = root.getElementById('layerwarp-page-state');
  return block ? JSON.parse(block.textContent) : { config: null, presets: [] };
}

/**
 * The URL's config and page parameters. The server's reading is used whenever it has one, so a
 * typed URL runs exactly what the API would (`preset=` first, then the fields, each parsed as
 * pydantic parses it); with a bad field there is none, and the values are read here to be shown
 * and named, still over the preset's. `unknownPreset` is a preset name that means nothing.
 */
export function readUrl(fields, search = location.search, page = pageState()) {
  const query = new URLSearchParams(search);
  const asked = query.get('preset');
  const preset = page.presets.find((p) => p.name === asked);
  const base = (name, field) => {
    const value = (page.config ?? preset?.config)?.[name];
    if (value === null) return field.kind === 'text' ? '' : field.default; // no custom points
    return value ?? field.default;
  };
  const config = {};
  for (const [name, field] of Object.entries(fields)) {
    const given = query.get(name);
    config[name] = page.config || given === null ? base(name, field) : parseValue(field.kind, given);
  }
  const extra = {};
  for (const name of EXTRA) if (query.has(name)) extra[name] = query.get(name);
  return { config, extra, unknownPreset: asked !== null && !preset ? asked : null };
}

/** config and extra as a query; a `preset` in extra goes first, as it is resolved first. */
export function queryString(config, extra = {}) {
  const query = new URLSearchParams();
  if (extra.preset) query.set('preset', extra.preset);
  for (const [name, value] of Object.entries(config)) {
    if (value === '' || value === null || value === undefined) continue; // no custom points: no `data=`
    if (name === 'data' && config.dataset !== 'custom') continue; // the server would drop it anyway
    query.set(name, String(value));
  }
  for (const [name, value] of Object.entries(extra)) {
    if (name !== 'preset' && value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  return query.toString();
}

// Back and Forward. A change a person made on purpose is a history entry of its own: any config
// field (a setting, a preset, a lesson step's config, your own points, a lowered learning rate),
// `lesson`, the views chosen beside the warp (`view`, `regions`, `axes`), `theme` and `present`.
// The names in PASSING only move the current entry along with them: the stage (the stepper,
// its slider, the opening pass and every tween move it; stepping through 25 stages is looking,
// not choosing), the traced point (a click while looking), the layers' `speed` and `loop`,
// the stream's pacing, the class and the language (another language is another page). The
// timeline's scrub and slider drags mid-drag are in no URL at all. An entry is added only
// while the person is acting (transient user activation): the page's own writes on landing and
// a class's moves never add one, so the first Back leaves nothing of the app's behind, and
// Chromium does not mark the page as one that fills history by itself (whose entries Back skips).
const PASSING = new Set(['stage', 'trace', 'speed', 'loop', 'every', 'rate', 'class', 'lang']);
let addedThisTurn = false; // one action (a lesson step sets its lesson, config, regions) is one entry

/** Whether `next` differs from `now` (queries) in a name a person chooses on purpose. */
export function chosenChange(now, next) {
  const [a, b] = [new URLSearchParams(now), new URLSearchParams(next)];
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].some((name) => !PASSING.has(name) && a.get(name) !== b.get(name));
}

/**
 * Show config and extra (the store's page parameters among them) in the address bar. With
 * options.remember, a change a person chose (see above) is a new history entry; otherwise, and
 * for embeds (an iframe's entries would be its host page's), the current entry is rewritten.
 */
export function writeUrl(config, extra = {}, { remember = false } = {}) {
  const search = `?${queryString(config, extra)}`;
  if (search === location.search) return;
  const url = `${location.pathname}${search}`;
  const acting = navigator.userActivation?.isActive ?? true;
  if (remember && acting && !addedThisTurn && chosenChange(location.search, search)) {
    history.pushState(null, '', url);
    addedThisTurn = true;
    setTimeout(() => { addedThisTurn = false; }, 0);
  } else {
    history.replaceState(null, '', url);
  }
}

/** The index of stage `name` in `stages` (`last`: the last one), or -1. */
export function findStage(stages, name) {
  return name === 'last' ? stages.length - 1 : stages.indexOf(name);
}

/**
 * Check the URL's stage `typed` against the first network's stages, once: an unknown one is
 * named through `onUnknown(typed, allowed)` and forgotten, so the run opens where it would.
 */
export function checkTypedStage(state, typed, onUnknown) {
  const check = ({ detail }) => {
    if (detail.what !== 'meta') return;
    state.removeEventListener('change', check);
    if (typed === undefined || state.wantedStage !== typed || findStage(state.meta.stages, typed) >= 0) return;
    onUnknown(typed, [...state.meta.stages, 'last']);
    state.setWantedStage(undefined);
  };
  state.addEventListener('change', check);
}

/** The stage for the URL: `last` while the last is shown, so another network opens at its end. */
export function urlStage(state, wanted) {
  if (!state.meta) return wanted;
  const atLast = state.stageIndex === state.meta.stages.length - 1;
  return wanted === 'last' && atLast ? 'last' : state.stageName();
}
