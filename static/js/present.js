// Presentation mode (?present=1 or the key S): controls hidden, large type, high contrast, the
// warp view beside the one card a lesson points at. The mode lives in the store (state.js);
// this shows it as html[data-present], which the CSS lays out, and on its button.

import { t } from './i18n.js';

/** Whether a URL asks for presentation mode. */
export const presentAsked = (search = location.search) => ['1', 'true'].includes(new URLSearchParams(search).get('present'));

export class Presenter {
  constructor(root, state) {
    this.root = root.documentElement;
    this.button = root.querySelector('[data-present-toggle]');
    this.state = state;
    this.show();
    this.button?.addEventListener('click', () => this.toggle());
    state.addEventListener('change', ({ detail }) => {
      if (detail.what === 'present') this.show();
    });
  }

  show() {
    const on = this.state.present;
    this.root.dataset.present = on ? 'true' : 'false';
    if (this.button) {
      this.button.textContent = t(on ? 'present.exit' : 'present.toggle');
      this.button.setAttribute('aria-pressed', String(on));
    }
  }

  toggle() {
    this.state.setPresent(!this.state.present);
  }

  /** Full screen on or off (the F key); browsers allow it only from a user's key or click. */
  static toggleFullscreen() {
    if (document.fullscreenElement) return document.exitFullscreen().catch(() => {});
    return document.documentElement.requestFullscreen?.().catch(() => {});
  }
}
