// Everything around the warp view, redrawn from state at most once per animation frame.

import { CONSTANTS } from './constants.js';
import { list, t } from './i18n.js';
import { plain } from './format.js';
import { lookOf } from './look.js';
import { affineModel } from './linear.js';
import { collapseOf } from './collapse.js';
import { plotlyReady } from './plotly-loader.js';
import { renderCurves } from './render/curves.js';
import { renderField } from './render/field.js';
import { renderFilmstrip } from './render/filmstrip.js';
import { renderTrace, tracedAt } from './render/trace.js';
import { onPointClick } from './pick.js';
import { decodeRegions } from './render/regions.js';
import { renderInspector } from './render/inspector.js';
import { enlargeUnitMaps, redrawZoom } from './unit-zoom.js';
import { renderSeparability } from './render/separability.js';
import { renderSingle } from './render/single.js';

const MIN_GAP = 200; // ms between redraws of the side views

export class Views {
  /** options.onPick(index): a point of the input view was clicked, trace it.
   * options.onNoRegions(activation): the URL asks for linear regions this net does not have. */
  constructor(root, state, options = {}) {
    this.state = state;
    this.onPick = options.onPick ?? null;
    this.onNoRegions = options.onNoRegions ?? null;
    this.faintPoints = options.faintPoints ?? (() => false); // a lesson about the shading
    this.field = root.querySelector('[data-view="field"]');
    this.wide = root.querySelector('[data-wide]');
    this.wideHint = root.querySelector('[data-wide-hint]');
    this.curves = root.querySelector('[data-view="curves"]');
    this.inspector = root.querySelector('[data-view="inspector"]');
    enlargeUnitMaps(this.inspector);
    this.separability = root.querySelector('[data-view="separability"]');
    this.singleBox = root.querySelector('[data-single-step]');
    this.single = root.querySelector('[data-view="single"]');
    this.timeline = root.querySelector('[data-timeline]');
    this.timelineReadout = root.querySelector('[data-timeline-readout]');
    this.status = root.querySelector('[data-status]');
    this.notice = root.querySelector('[data-notice]');
    this.noticeText = root.querySelector('[data-notice-text]');
    this.lowerLr = root.querySelector('[data-action="lower-lr"]');
    this.pending = false;
    this.lastDraw = -Infinity;
    this.warp = root.querySelector('[data-view="warp"]');
    this.wide.addEventListener('change', () => this.schedule());
    this.filmstrip = root.querySelector('[data-view="filmstrip"]');
    this.filmstripToggle = root.querySelector('[data-filmstrip-toggle]');
    // the toggles' state is the store's (a page parameter each), shown when drawn
    const query = new URLSearchParams(location.search);
    if (query.get('view') === 'filmstrip') state.setParam('view', 'filmstrip');
    this.filmstripToggle.addEventListener('change', () => {
      state.setParam('view', this.filmstripToggle.checked ? 'filmstrip' : null);
    });
    this.trace = root.querySelector('[data-view="trace"]');
    const traced = query.get('trace');
    if (traced !== null && /^\d+$/.test(traced)) state.setTraced(Number(traced)); // warpview.js draws it too
    this.regions = root.querySelector('[data-regions]');
    this.regionsCount = root.querySelector('[data-regions-count]');
    if (query.get('regions') === '1') state.setParam('regions', '1');
    this.regions.addEventListener('change', () => state.setParam('regions', this.regions.checked ? '1' : null));
    this.showToggles();
  }

  /**
   * Redraw soon: at most every MIN_GAP ms, and never while the warp view tweens, because these
   * plots cost tens of milliseconds each and the tween needs every frame.
   */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.lastDraw + MIN_GAP - performance.now());
    setTimeout(() => requestAnimationFrame(() => {
      this.pending = false;
      if (!plotlyReady() || this.warp.dataset.animating) {
        this.schedule();
        return;
      }
      this.lastDraw = performance.now();
      this.draw();
    }), wait);
  }

  /** The filmstrip and regions toggles as the store's page parameters say. */
  showToggles() {
    this.filmstripToggle.checked = this.state.params.view === 'filmstrip';
    this.regions.checked = this.state.params.regions === '1';
  }

  draw() {
    const { state } = this;
    this.showToggles();
    const showRegions = state.params.regions === '1';
    const showFilmstrip = state.params.view === 'filmstrip';
    const snapshot = state.current();
    const look = lookOf(state);
    this.drawTimeline(snapshot);
    if (!snapshot) {
      if (state.draft) renderField(this.field, { meta: null, field: null, draft: state.draft, look });
      return;
    }
    const { meta } = snapshot;
    const field = snapshot.probability[this.wide.checked ? 'wide' : 'data'];
    // linear regions (relu, leaky_relu) are sent for the data window only
    const regions = snapshot.regions && !this.wide.checked ? decodeRegions(snapshot.regions) : null;
    this.regions.closest('label').hidden = !snapshot.regions;
    if (showRegions && !snapshot.regions) { // a tanh net has none: not a silent no-op in the link
      state.setParam('regions', null);
      this.onNoRegions?.(meta.config.activation);
    }
    const traced = state.traced !== null && state.traced < meta.labels.length ? state.traced : null;
    renderField(this.field, { meta, field, draft: state.draft, linear: affineModel(snapshot),
      regions: showRegions ? regions : null, faint: this.faintPoints(),
      traced: traced === null ? null : tracedAt(snapshot, 'input', traced), look }).then(() => {
      this.field.dataset.step = String(snapshot.step); // which step the map shows, for a reader
      if (this.onPick) onPointClick(this.field, this.onPick);
    });
    this.regionsCount.textContent = regions && showRegions ? t('regions.count', { count: regions.count }) : '';
    const edges = field.reachesEdge.map((reaches, c) => (reaches ? c : null)).filter((c) => c !== null);
    this.wideHint.textContent = this.wide.checked
      ? `${t('input.wideHint')} ${edges.length ? t('input.edge', { classes: list(edges) }) : ''}`
      : '';
    renderCurves(this.curves, { snapshots: state.snapshots, step: state.cursor >= 0 ? snapshot.step : undefined, look });
    renderInspector(this.inspector, { snapshot, look });
    redrawZoom(); // an enlarged map shows its unit's new pixels
    renderTrace(this.trace, { snapshot, index: state.traced, look });
    this.filmstrip.hidden = !showFilmstrip;
    if (showFilmstrip) renderFilmstrip(this.filmstrip, { snapshot, current: state.stageName(), traced, look });
    renderSeparability(this.separability, { separability: snapshot.separability, chance: 1 / meta.classes, look });
    this.singleBox.hidden = !state.single;
    if (state.single) {
      renderSingle(this.single, { ...state.single, lr: state.config.lr, optimizer: state.config.optimizer,
        batchSize: state.config.batch_size, look });
    }
  }

  drawTimeline(snapshot) {
    const { state } = this;
    const count = state.snapshots.length;
    this.timeline.max = String(Math.max(0, count - 1));
    this.timeline.value = String(state.cursor >= 0 ? state.cursor : Math.max(0, count - 1));
    const text = snapshot
      ? t('timeline.readout', { step: snapshot.step, steps: state.config.steps })
        + (state.cursor === -1 ? ` · ${t('timeline.latest')}` : '')
      : '';
    this.timelineReadout.textContent = text;
    this.timeline.setAttribute('aria-valuetext', text);
  }

  /** Status line and the notice for states a user must act on. */
  drawStatus() {
    const { status, config } = this.state;
    // a run that ended on its own but collapsed failed: say so, with the same fix as a divergence
    const ended = status.kind === 'done' && (status.reason === 'steps' || status.reason === 'converged');
    const collapse = ended ? collapseOf(this.state.snapshots) : null;
    const reason = collapse ? 'collapsed' : status.reason;
    const key = status.kind === 'done' ? `status.done.${reason}` : `status.${status.kind}`;
    this.status.textContent = status.kind === 'invalid' ? '' : t(key, status);
    this.status.dataset.kind = status.kind === 'done' ? `done-${reason}` : status.kind;
    let message = '';
    let lower = null;
    if (status.kind === 'done' && status.reason === 'diverged') {
      lower = Math.max(CONSTANTS.lrMinimum, config.lr / 10);
      message = t('notice.diverged', { step: status.step, lr: plain(config.lr) });
    } else if (collapse) {
      lower = Math.max(CONSTANTS.lrMinimum, config.lr / 10);
      const acc = `${Math.round(100 * this.state.snapshots.at(-1).metrics.acc_train)} %`;
      message = t(`notice.collapsed.${collapse}`, { acc, lr: plain(config.lr) });
    } else if (status.kind === 'invalid') {
      message = t('notice.invalid', { message: status.message });
    } else if (status.kind === 'error') {
      message = t('notice.error', { message: status.message });
    }
    this.notice.hidden = !message;
    this.notice.dataset.kind = status.kind === 'done' ? reason : status.kind;
    this.noticeText.textContent = message;
    this.lowerLr.hidden = lower === null;
    if (lower !== null) {
      this.lowerLr.dataset.lr = String(Number(lower.toPrecision(6)));
      this.lowerLr.textContent = t('notice.lowerLr', { lr: plain(Number(lower.toPrecision(6))) });
    }
  }
}
