// A name in a typed URL that means nothing here — a preset, a lesson step, a stage — is not
// silently ignored: a notice names it and lists what is allowed, and the caller drops it from
// the URL. So is a setting that cannot apply to the run (regions=1 on a tanh net). The notice
// stays until it is closed.

import { list, t } from './i18n.js';

const TEXT = { preset: 'url.unknownPreset', lesson: 'url.unknownLesson', stage: 'url.unknownStage' };

/** Letters to insert, delete or change to turn `a` into `b` (Levenshtein). */
function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** The allowed name a slip of the keyboard away from `name` (a third of its letters), or null. */
export function closest(name, allowed) {
  const typed = String(name).toLowerCase();
  let best = null;
  let bestDistance = Math.max(1, Math.floor(typed.length / 3)) + 1;
  for (const candidate of allowed) {
    const distance = editDistance(typed, String(candidate).toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export class UrlNotice {
  constructor(root) {
    this.box = root.querySelector('[data-url-notice]');
    this.list = this.box.querySelector('[data-url-notice-text]');
    this.box.querySelector('[data-url-notice-close]')?.addEventListener('click', () => {
      this.box.hidden = true;
      this.list.replaceChildren();
    });
  }

  /**
   * Name the unknown `name` of `kind` ('preset', 'lesson', 'stage'); the text shown. With
   * `open(near)` and an allowed name close to the typed one, the notice asks "did you mean…?"
   * and offers that name as a button instead of listing every name.
   */
  unknown(kind, name, allowed, open = null) {
    const line = document.createElement('p');
    line.dataset.unknown = kind;
    const near = open ? closest(name, allowed) : null;
    if (near === null) {
      line.textContent = t(TEXT[kind], { name, allowed: list(allowed) });
    } else {
      line.textContent = `${t('url.didYouMean', { name })} `;
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.urlNoticeNear = near;
      button.textContent = near;
      button.addEventListener('click', () => {
        this.box.hidden = true;
        this.list.replaceChildren();
        open(near);
      });
      line.append(button, t('url.didYouMeanEnd'));
    }
    this.show(line);
    return line.textContent;
  }

  /** A setting of the URL that cannot apply to this run, dropped from it: say why, in words. */
  dropped(name, text) {
    const line = document.createElement('p');
    line.dataset.dropped = name;
    line.textContent = text;
    this.show(line);
  }

  show(line) {
    this.list.append(line);
    this.box.hidden = false;
  }
}
