// Light and dark themes: ?theme=light|dark, else the system's prefers-color-scheme. The theme
// is html[data-theme]; CSS and the plots (render/style.js: look()) both read it.

import { t } from './i18n.js';
import { pageParams, setPageParam } from './url.js';

const THEMES = ['light', 'dark'];
const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The theme the URL asks for, else the system's. */
export function pickTheme(search = location.search) {
  const asked = new URLSearchParams(search).get('theme');
  if (THEMES.includes(asked)) return asked;
  return systemDark().matches ? 'dark' : 'light';
}

export class Theme {
  /** `onChange()` redraws the plots, whose colours the CSS cannot reach. */
  constructor(root, onChange) {
    this.button = root.querySelector('[data-theme-toggle]');
    this.onChange = onChange;
    this.chosen = THEMES.includes(new URLSearchParams(location.search).get('theme'));
    this.set(pickTheme(), false);
    if (this.chosen) pageParams.theme = this.current;
    this.button?.addEventListener('click', () => this.toggle());
    systemDark().addEventListener('change', (event) => {
      if (!this.chosen) this.set(event.matches ? 'dark' : 'light');
    });
  }

  get current() {
    return document.documentElement.dataset.theme;
  }

  set(theme, notify = true) {
    document.documentElement.dataset.theme = theme;
    if (this.button) {
      const next = theme === 'dark' ? 'light' : 'dark';
      this.button.textContent = theme === 'dark' ? '☀' : '☾';
      this.button.setAttribute('aria-label', t(`theme.${next}`));
      this.button.title = t(`theme.${next}`);
    }
    if (notify) this.onChange();
  }

  toggle() {
    this.chosen = true;
    const next = this.current === 'dark' ? 'light' : 'dark';
    setPageParam('theme', next);
    this.set(next);
  }
}
