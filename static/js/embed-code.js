// "Copy embed code": an <iframe> snippet that shows the current run in /embed on any page.

import { t } from './i18n.js';
import { queryString } from './url.js';

const escapeAttribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The snippet for `config` at `stage`, served from `origin`. */
export function embedSnippet(origin, config, { stage, lang } = {}) {
  const query = queryString(config, { stage, lang, autoplay: 1, controls: 'minimal' });
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
      if (!this.code.hidden && ['config', 'stage'].includes(detail.what)) this.code.value = this.snippet();
    });
  }

  snippet() {
    const lang = new URLSearchParams(location.search).get('lang') ?? undefined;
    return embedSnippet(location.origin, this.state.config, { stage: this.state.stageName(), lang });
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
