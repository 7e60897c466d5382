// A lesson step whose view is the comparison (/compare?lesson=<id>&…): its title, text and
// place in the lessons, and the way on to the steps before and after it, on whichever page
// each of them is shown (the main page, or a comparison of its own).

import { language, t } from '../i18n.js';

/** What a lesson step keeps when the next is on another page: the language, the look, the pace. */
const CARRIED = ['lang', 'present', 'theme', 'every', 'rate'];

/**
 * Where step `step` of /api/lessons is shown, its comparison or the main page's lesson, with
 * the page parameters of `from` (a query) that a teacher expects to keep: presentation mode
 * stays on from one step to the next whichever page each is on.
 */
export function lessonHref(step, from = '') {
  const query = new URLSearchParams(step.compare_url ? step.compare_url.split('?')[1] : '');
  if (!step.compare_url) query.set('lesson', step.id);
  const given = new URLSearchParams(from);
  for (const name of CARRIED) if (given.get(name)) query.set(name, given.get(name));
  return `${step.compare_url ? '/compare' : '/'}?${query}`;
}

export class CompareLesson {
  /** `asked`: the URL's lesson id, or null (no lesson: the panel stays hidden). */
  constructor(root, asked, carried = () => location.search) {
    this.carried = carried;
    this.panel = root.querySelector('[data-compare-lesson]');
    this.links = { previous: root.querySelector('[data-lesson-link="previous"]'), next: root.querySelector('[data-lesson-link="next"]') };
    this.asked = asked;
    this.steps = null;
    if (asked && this.panel) this.load();
  }

  async load() {
    const response = await fetch('/api/lessons');
    if (!response.ok) return;
    this.steps = await response.json();
    this.show();
  }

  show() {
    const { steps } = this;
    const at = steps.findIndex((step) => step.id === this.asked);
    if (at < 0) return;
    const step = steps[at];
    this.panel.querySelector('[data-lesson-title]').textContent = step.title[language()] ?? step.title.en;
    this.panel.querySelector('[data-lesson-text]').textContent = step.text[language()] ?? step.text.en;
    this.panel.querySelector('[data-lesson-progress]').textContent = t('lesson.progress', { k: at + 1, n: steps.length });
    for (const [way, other] of [['previous', steps[at - 1]], ['next', steps[at + 1]]]) {
      this.links[way].hidden = !other;
      if (other) this.links[way].href = lessonHref(other, this.carried());
    }
    this.panel.dataset.lessonId = step.id;
    this.panel.hidden = false;
  }

  /** N / Shift+N: on to the next or previous step, wherever it is shown. */
  go(way) {
    const link = this.links[way];
    if (link && !link.hidden && link.href) location.assign(link.href);
  }

  /** The links again, when what they carry changed (presentation mode, the theme). */
  refresh() {
    if (this.steps) this.show();
  }
}
