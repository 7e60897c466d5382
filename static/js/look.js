// What the plots are drawn in, from the store: its theme, presentation mode and language, handed
// to every renderer as `look`. The one place that measures the page for them: presentation's
// text size is the root font size css/present.css gives it (24 px at 1280×720).

import { translator } from './i18n.js';
import { plotLook } from './render/style.js';

export function lookOf(state) {
  const root = document.documentElement;
  const presentPx = state.present ? Math.round(parseFloat(getComputedStyle(root).fontSize)) || 24 : 0;
  return plotLook({ theme: state.theme, presentPx, lang: state.language, t: translator(state.language) });
}
