// Back and Forward: the history entry's URL (url.js says which changes make one) is read as the
// page reads a typed URL on landing (readUrl), and put on the page through the store. A config
// that differs restarts its run as a typed URL would, at the entry's stage; the same config
// keeps its run and only moves to that stage. Which lesson, views, theme and presentation the
// entry states are shown as they were; nothing here writes the URL (the store's listeners do).

import { sameConfig } from './classroom/moves.js';
import { presentAsked } from './present.js';
import { pickTheme } from './theme.js';
import { findStage, readUrl } from './url.js';

/** Values a page parameter keeps in the store, each as the page reads it on landing. */
const PAGE_PARAMS = { view: ['filmstrip'], regions: ['1'] };

/**
 * Put `search` (an entry's query) on the page. `fields` are the form's, `presets` the server's;
 * `lessons`, `warp` and `axesMenu` are the page's lesson panel, warp view and 3-D window menu.
 */
export function restoreUrl({ state, fields, presets, lessons, warp, axesMenu }, search = location.search) {
  // the server's reading of the URL (pageState) was of the landing one: the fields are read here
  const { config, extra } = readUrl(fields, search, { config: null, presets });
  lessons.restore(extra.lesson ?? null);
  for (const [name, allowed] of Object.entries(PAGE_PARAMS)) {
    const wanted = allowed.includes(extra[name]) ? extra[name] : null;
    if ((state.params[name] ?? null) !== wanted) state.setParam(name, wanted);
  }
  const axes = extra.axes === 'fixed' ? 'fixed' : 'fitted';
  if (warp.axes !== axes) {
    warp.setAxes(axes);
    axesMenu.value = axes;
    state.setParam('axes', axes === 'fitted' ? null : axes);
  }
  const speed = Number(extra.speed ?? 1);
  if (warp.speed !== speed) warp.setSpeed(speed);
  const traced = /^\d+$/.test(extra.trace ?? '') ? Number(extra.trace) : null;
  if (state.traced !== traced) state.setTraced(traced);
  const { theme, chosen } = pickTheme(search);
  if (state.theme !== theme || state.themeChosen !== chosen) state.setTheme(theme, chosen);
  if (state.present !== presentAsked(search)) state.setPresent(presentAsked(search));
  if (!sameConfig(state.config, config)) {
    state.setConfig(config, { stage: extra.stage ?? 'input' }); // restarts, as a typed URL starts
  } else if (extra.stage !== undefined && state.meta) {
    const index = findStage(state.meta.stages, extra.stage);
    if (index >= 0 && index !== state.stageIndex) warp.jumpTo(index);
  } else if (extra.stage !== undefined) {
    state.setWantedStage(extra.stage);
  }
}
