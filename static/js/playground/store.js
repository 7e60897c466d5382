// The playground's one store: the layer (W, b, σ), the stage shown and the selected handle. The
// URL is the state: every change is written back to it (at most every URL_GAP ms, because
// browsers throttle history.replaceState; a drag at its drop), so the address bar links this layer.

import { pickTheme } from '../theme.js';
import { LIMIT, STAGES } from './layer.js';

const URL_GAP = 200;

const clampValue = (v) => Math.max(-LIMIT, Math.min(LIMIT, v));
/** Drags and nudges land on 0.001: short URLs, and no 0.30000000000000004. */
export const tidy = (v) => Math.round(clampValue(v) * 1000) / 1000;

/** A row-major URL list `a,b,c,d` → [[a, b], [c, d]]. */
const parseMatrix = (text) => {
  const [a, b, c, d] = text.split(',').map(Number);
  return [[a, b], [c, d]];
};

export class PlaygroundStore extends EventTarget {
  /** `root` carries the server's reading of the URL in data-w, data-b, data-activation, data-stage. */
  constructor(root) {
    super();
    const data = root.dataset;
    this.W = parseMatrix(data.w);
    this.b = data.b.split(',').map(Number);
    this.activation = data.activation;
    this.stage = STAGES.includes(data.stage) ? data.stage : 'act';
    this.selected = null; // 'e1' | 'e2' | 'origin'
    ({ theme: this.theme, chosen: this.themeChosen } = pickTheme());
    this.language = null; // set when chosen here: the URL keeps it
    this.lastUrl = 0;
    this.urlTimer = null;
  }

  get layer() {
    return { W: this.W, b: this.b, activation: this.activation };
  }

  emit(what) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what } }));
  }

  /**
   * Set W and/or b (entries clamped to ±LIMIT). `what` is 'drag' while a handle moves: the URL
   * then waits for the drop (`writeUrl(true)`), since each history entry change can make the
   * browser fetch the favicon again, and a drag must ask the server nothing.
   */
  setLayer({ W = this.W, b = this.b }, what = 'layer') {
    this.W = W.map((row) => row.map(clampValue));
    this.b = b.map(clampValue);
    if (what !== 'drag') this.writeUrl();
    this.emit(what);
  }

  setActivation(name) {
    this.activation = name;
    this.writeUrl(true);
    this.emit('activation');
  }

  setStage(stage) {
    this.stage = stage;
    this.writeUrl(true);
    this.emit('stage');
  }

  select(handle) {
    this.selected = handle;
    this.emit('select');
  }

  /** Light or dark; `chosen` (not just the system's) keeps it in the URL. */
  setTheme(theme, chosen = true) {
    this.theme = theme;
    this.themeChosen = this.themeChosen || chosen;
    this.writeUrl(true);
    this.emit('theme');
  }

  setLanguage(language) {
    this.language = language;
    this.writeUrl(true);
    this.emit('language');
  }

  /** The playground's URL for the current state, keeping lang, theme and present. */
  url() {
    const query = new URLSearchParams(location.search);
    query.set('W', this.W.flat().join(','));
    query.set('b', this.b.join(','));
    query.set('activation', this.activation);
    query.set('stage', this.stage);
    if (this.themeChosen) query.set('theme', this.theme);
    if (this.language) query.set('lang', this.language);
    return `${location.pathname}?${query.toString().replaceAll('%2C', ',')}`;
  }

  writeUrl(now = false) {
    clearTimeout(this.urlTimer);
    const wait = now ? 0 : this.lastUrl + URL_GAP - performance.now();
    if (wait > 0) {
      this.urlTimer = setTimeout(() => this.writeUrl(true), wait);
      return;
    }
    this.lastUrl = performance.now();
    const url = this.url();
    if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
  }
}
