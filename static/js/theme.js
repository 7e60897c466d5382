// Light and dark themes: ?theme=light|dark, else the system's prefers-color-scheme. The theme
// lives in a store (state.js, or the playground's); this shows it as html[data-theme], which
// the CSS reads, and on the toggle button. The plots get it from their caller.

import { t } from './i18n.js';

const THEMES = ['light', 'dark'];
const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The theme the URL asks for, else the system's; `chosen` when the URL asked. */
export function pickTheme(search = location.search) {
  const asked = new URLSearchParams(search).get('theme');
  if (THEMES.includes(asked)) return { theme: asked, chosen: true };
  return { theme: systemDark().matches ? 'dark' : 'light', chosen: false };
}

export class Theme {
  /** `store` has `theme`, `themeChosen` and `setTheme(theme, chosen)`, and emits 'theme'. */
  constructor(root, store) {
    this.button = root.querySelector('[data-theme-toggle]');
    this.store = store;
    this.show();
    this.button?.addEventListener('click', () => this.toggle());
    systemDark().addEventListener('change', (event) => {
      if (!store.themeChosen) store.setTheme(event.matches ? 'dark' : 'light', false);
    });
    store.addEventListener('change', ({ detail }) => {
      if (detail.what === 'theme') this.show();
    });
  }

  show() {
    const { theme } = this.store;
    document.documentElement.dataset.theme = theme;
    if (this.button) {
      const next = theme === 'dark' ? 'light' : 'dark';
      this.button.textContent = theme === 'dark' ? '☀' : '☾';
      this.button.setAttribute('aria-label', t(`theme.${next}`));
      this.button.title = t(`theme.${next}`);
    }
  }

  toggle() {
    this.store.setTheme(this.store.theme === 'dark' ? 'light' : 'dark', true);
  }
}
