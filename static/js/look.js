// What the plots are drawn in, from the store: its theme, presentation mode and language, handed
// to every renderer as `look`. The one place that measures the page for them: presentation's
// text size is the root font size css/present.css gives it (24 px at 1280×720); on paper
// (html[data-printing], static/js/print.js) the light theme's ink.

import { translator } from './i18n.js';
import { plotLook } from './render/style.js';

export function lookOf(state) {
  const root = document.documentElement;
  const presentPx = state.present ? Math.round(parseFloat(getComputedStyle(root).fontSize)) || 24 : 0;
  const theme = root.dataset.printing ? 'light' : state.theme; // ink on paper, whatever the screen's theme
  return plotLook({ theme, presentPx, lang: state.language, t: translator(state.language) });
}
