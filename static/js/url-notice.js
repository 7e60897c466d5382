// A name in a typed URL that means nothing here — a preset, a lesson step, a stage — is not
// silently ignored: a notice names it and lists what is allowed, and the caller drops it from
// the URL. The notice stays until it is closed.

import { list, t } from './i18n.js';

const TEXT = { preset: 'url.unknownPreset', lesson: 'url.unknownLesson', stage: 'url.unknownStage' };

export class UrlNotice {
  constructor(root) {
    this.box = root.querySelector('[data-url-notice]');
    this.list = this.box.querySelector('[data-url-notice-text]');
    this.box.querySelector('[data-url-notice-close]')?.addEventListener('click', () => {
      this.box.hidden = true;
      this.list.replaceChildren();
    });
  }

  /** Name the unknown `name` of `kind` ('preset', 'lesson', 'stage'); the text shown. */
  unknown(kind, name, allowed) {
    const line = document.createElement('p');
    line.dataset.unknown = kind;
    line.textContent = t(TEXT[kind], { name, allowed: list(allowed) });
    this.list.append(line);
    this.box.hidden = false;
    return line.textContent;
  }
}
