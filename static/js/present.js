// Presentation mode (?present=1 or the key P): controls hidden, large type, high contrast, the
// warp view beside the one card a lesson points at. The mode is html[data-present]; CSS does
// the layout, the plots read it through render/style.js: look().

import { t } from './i18n.js';
import { pageParams, setPageParam } from './url.js';

export class Presenter {
  /** `onChange()` redraws the plots: their fonts and margins depend on the mode. */
  constructor(root, onChange) {
    this.root = root.documentElement;
    this.button = root.querySelector('[data-present-toggle]');
    this.onChange = onChange;
    const asked = new URLSearchParams(location.search).get('present');
    this.set(asked === '1' || asked === 'true', false);
    if (this.on) pageParams.present = '1';
    this.button?.addEventListener('click', () => this.toggle());
  }

  get on() {
    return this.root.dataset.present === 'true';
  }

  set(on, notify = true) {
    this.root.dataset.present = on ? 'true' : 'false';
    if (this.button) {
      this.button.textContent = t(on ? 'present.exit' : 'present.toggle');
      this.button.setAttribute('aria-pressed', String(on));
    }
    if (notify) {
      setPageParam('present', on ? '1' : null);
      // the plots' containers change size with the layout: let it settle first
      requestAnimationFrame(() => this.onChange());
    }
  }

  toggle() {
    this.set(!this.on);
  }

  /** Full screen on or off (the F key); browsers allow it only from a user's key or click. */
  static toggleFullscreen() {
    if (document.fullscreenElement) return document.exitFullscreen().catch(() => {});
    return document.documentElement.requestFullscreen?.().catch(() => {});
  }
}
