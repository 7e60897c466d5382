// The guided lessons from /api/lessons: a panel with the step's title, its text, "step k of n"
// and previous / next. A step sets its config (the caller restarts the stream), the stage to
// show first, and the view to look at; ?lesson=<id> links a step. Each step's run is pinned:
// it stops at the training step where the text's claim is on screen, and the panel says which.

import { language, t } from './i18n.js';
import { whenPlotly } from './plotly-loader.js';
import { lessonHref } from './compare/lesson.js';

const CARDS = {
  warp: 'warp', input: 'input', wide: 'input', curves: 'curves', inspector: 'inspector', separability: 'inspector', step: 'step',
};
/** Within its card, the element a view names (the separability chart sits under the inspector). */
const TARGETS = { separability: '[data-view="separability"]' };
const REVEAL_MS = 400; // after the first snapshot: the side views redraw at most every 200 ms

export class Lessons {
  /** `apply(config, stage)` restarts the run; `state` and `run` serve the single-step view. */
  constructor(root, { apply, state, run }) {
    this.root = root;
    this.panel = root.querySelector('[data-lesson]');
    this.apply = apply;
    this.state = state;
    this.run = run;
    this.steps = [];
    this.index = -1;
    this.waitForSnapshot = null;
    // read now: the page rewrites its URL before the lessons arrive
    this.asked = new URLSearchParams(location.search).get('lesson');
    if (this.asked) state.setParam('lesson', this.asked);
    for (const [action, move] of [['lesson-previous', -1], ['lesson-next', 1]]) {
      this.panel.querySelector(`[data-lesson-action="${action}"]`).addEventListener('click', () => this.go(this.index + move));
    }
    this.panel.querySelector('[data-lesson-action="close"]').addEventListener('click', () => this.close());
    for (const button of root.querySelectorAll('[data-lesson-open]')) {
      button.addEventListener('click', () => this.go(Math.max(0, this.index)));
    }
  }

  async load() {
    const response = await fetch('/api/lessons');
    if (!response.ok) return;
    this.steps = await response.json();
    const index = this.steps.findIndex((step) => step.id === this.asked);
    if (index >= 0) this.go(index, { scroll: false });
  }

  get active() {
    return this.index >= 0 ? this.steps[this.index] : null;
  }

  next() {
    this.go(this.active ? this.index + 1 : 0);
  }

  previous() {
    if (this.active) this.go(this.index - 1);
  }

  /**
   * Show step `index` (clamped) and start its run. options.scroll: false for a shared link: it
   * scrolls to the view the step names only if the step's text stays in sight (on a phone that
   * view is a screen or two below, and the student would land with no text and no warp view).
   */
  go(index, { scroll = true } = {}) {
    if (!this.steps.length) return;
    this.index = Math.max(0, Math.min(this.steps.length - 1, index));
    const step = this.active;
    if (step.compare_url) { // a comparison is a page of its own
      location.assign(lessonHref(step, location.search));
      return;
    }
    this.state.setParam('lesson', step.id);
    this.show(step);
    this.apply(step.config, step.stage ?? 'input'); // the server names it (its `last` resolved)
    this.focus(step.view, scroll);
  }

  /**
   * Show step `id` as a history entry states it (Back, Forward): its panel and its view, not its
   * config, which the entry states itself (a setting changed after the step stays changed).
   * An id of no step closes the panel.
   */
  restore(id) {
    const index = this.steps.findIndex((step) => step.id === id);
    if (index < 0) {
      if (this.active || this.state.params.lesson) this.close();
      return;
    }
    if (index === this.index) return;
    this.index = index;
    this.state.setParam('lesson', id);
    this.show(this.active);
    this.focus(this.active.view, false);
  }

  close() {
    this.index = -1;
    this.panel.hidden = true;
    this.state.setParam('lesson', null);
    this.focus(null);
  }

  show(step) {
    const lang = language();
    const text = (field) => step[field]?.[lang] ?? step[field]?.en ?? '';
    this.panel.hidden = false;
    this.panel.dataset.lessonId = step.id;
    this.panel.querySelector('[data-lesson-title]').textContent = text('title');
    this.panel.querySelector('[data-lesson-text]').textContent = text('text');
    this.panel.querySelector('[data-lesson-progress]').textContent = t('lesson.progress', { k: this.index + 1, n: this.steps.length });
    // the single step is taken at once; every other run stops where its claim is visible
    const look = { view: t(`view.${step.view}`), step: step.config.steps };
    this.panel.querySelector('[data-lesson-view]').textContent = t(step.view === 'step' ? 'lesson.look' : 'lesson.lookWhen', look);
    const playground = this.panel.querySelector('[data-lesson-playground]');
    playground.hidden = !step.playground;
    if (step.playground) playground.href = `/playground?${step.playground}&lang=${lang}`;
    this.panel.querySelector('[data-lesson-action="lesson-previous"]').disabled = this.index === 0;
    this.panel.querySelector('[data-lesson-action="lesson-next"]').disabled = this.index === this.steps.length - 1;
  }

  /** Point at `view`: mark its card (presentation mode shows only it), zoom out for "wide". */
  focus(view, scroll = true) {
    const html = this.root.documentElement;
    if (view) html.dataset.focus = CARDS[view];
    else delete html.dataset.focus;
    html.dataset.lessonView = view ?? '';
    if (this.active?.regions && this.state.params.regions !== '1') this.state.setParam('regions', '1'); // the step is about them
    const wide = this.root.querySelector('[data-wide]');
    if (wide && view && wide.checked !== (view === 'wide')) {
      wide.checked = view === 'wide';
      wide.dispatchEvent(new Event('change'));
    }
    for (const card of this.root.querySelectorAll('[data-card]')) {
      card.classList.toggle('focus', card.dataset.card === CARDS[view]);
    }
    if (this.waitForSnapshot) this.state.removeEventListener('change', this.waitForSnapshot);
    this.waitForSnapshot = null;
    const card = this.root.querySelector(`[data-card="${CARDS[view]}"]`);
    const target = (TARGETS[view] && card?.querySelector(TARGETS[view])) || card;
    const reveal = () => {
      if (!card || view === 'warp' || card.hidden) return;
      // from a shared link, only when the step's text stays in sight with the view (not on a phone)
      const text = this.panel.getBoundingClientRect();
      if (scroll || target.getBoundingClientRect().bottom - text.top <= innerHeight) {
        target.scrollIntoView({ block: 'nearest' });
      }
    };
    // only once the views have filled in (and changed height) with the new run's first snapshot,
    // drawn by plotly.js: a scroll made before that, instant under reduced motion, left the page
    // scrolled past the header and the lesson's text (every step restarts the run, so a first
    // snapshot always comes)
    const settled = () => whenPlotly(() => setTimeout(reveal, REVEAL_MS));
    if (view === 'step') this.onFirstSnapshot(() => this.run.stepOnce().then(settled));
    else if (view && view !== 'warp') this.onFirstSnapshot(settled);
  }

  /** Once the new run's first snapshot is in, call `action` once (a new focus cancels it). */
  onFirstSnapshot(action) {
    this.waitForSnapshot = ({ detail }) => {
      if (detail.what !== 'snapshot' || !this.state.snapshots.length) return;
      this.state.removeEventListener('change', this.waitForSnapshot);
      this.waitForSnapshot = null;
      action();
    };
    this.state.addEventListener('change', this.waitForSnapshot);
  }
}
