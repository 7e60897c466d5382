// "Copy embed code": an <iframe> snippet that shows the current run in /embed on any page.

import { t } from './i18n.js';
import { queryString } from './url.js';

const escapeAttribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// The page's view settings that /embed reads too (README, Embed): the snippet keeps them, so the
// frame shows what the author set up (a dark theme, the filmstrip, a traced point), not a plain view.
const KEPT = ['theme', 'view', 'axes', 'trace', 'speed', 'loop'];

/** The snippet for `config` at `stage`, served from `origin`, with the page's `shown` views. */
export function embedSnippet(origin, config, { stage, lang, shown = {} } = {}) {
  const kept = Object.fromEntries(KEPT.map((name) => [name, shown[name]]));
  if (kept.view !== 'filmstrip') delete kept.view; // the embed's only other view is the warp
  const query = queryString(config, { stage, lang, ...kept, autoplay: 1, controls: 'minimal' });
  const src = `${origin}/embed?${query}`;
  return `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(t('share.frameTitle'))}" `
    + 'width="100%" height="480" style="border:0;max-width:100%" loading="lazy" allow="fullscreen"></iframe>';
}

export class EmbedCode {
  constructor(root, state) {
    this.state = state;
    this.button = root.querySelector('[data-embed-copy]');
    this.code = root.querySelector('[data-embed-code]');
    this.note = root.querySelector('[data-embed-copied]');
    this.button.addEventListener('click', () => this.copy());
    state.addEventListener('change', ({ detail }) => {
      const shown = ['config', 'stage', 'param', 'traced', 'theme'];
      if (!this.code.hidden && shown.includes(detail.what)) this.code.value = this.snippet();
    });
  }

  snippet() {
    const lang = new URLSearchParams(location.search).get('lang') ?? undefined;
    const shown = this.state.urlParams();
    return embedSnippet(location.origin, this.state.config, { stage: this.state.stageName(), lang, shown });
  }

  /** Show the snippet (so it can be copied by hand too) and put it on the clipboard. */
  async copy() {
    this.code.value = this.snippet();
    this.code.hidden = false;
    this.code.select();
    try {
      await navigator.clipboard.writeText(this.code.value);
      this.note.textContent = t('share.copied');
    } catch {
      this.note.textContent = t('share.copyByHand');
    }
  }
}
