// The warp view's controller: which snapshot and stage are drawn, and the tweens between
// stages. Renderers stay pure; this decides what to hand them and when.

import { lastStage } from './decode.js';
import { stageFormula } from './format.js';
import { t } from './i18n.js';
import { loadPlotlyAfterPaint, plotlyReady } from './plotly-loader.js';
import { clearSketch, sketchWarp } from './render/sketch.js';
import { animateWarp, renderWarp } from './render/warp.js';
import { animateWarp3d, renderWarp3d } from './render/warp3d.js';

const STAGE_MS = 450; // one stage move (and the whole stretch of W)
const TWEEN_MS = 150; // one step of W's rotation
const PAUSE_MS = 180; // rest on each stage while playing the layers
const STRETCH_PART = /~stretch@0\.\d+$/; // stretch frames short of t = 1
const REDUCED_MOTION = 0.15; // tweens shrink to this share under prefers-reduced-motion
const SETTLE_MS = 220; // the zoom to the last stage's own window

/** 1, or REDUCED_MOTION when the reader asked the system for less motion. */
export const motionScale = () => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? REDUCED_MOTION : 1);

/**
 * How long the move between two frames takes. A mirror frame is reached by a jump: no
 * invertible path leads to a reflection, so a tween there would flatten the plane halfway.
 */
function legDuration(from, to) {
  const mirror = from.endsWith('~mirror') || to.endsWith('~mirror');
  const tween = from.includes('~') && to.includes('~');
  if (mirror && !tween) return 0;
  if (to.includes('~stretch') || from.includes('~stretch')) return STAGE_MS; // the whole stretch
  return to.includes('~') || from.includes('~') ? TWEEN_MS : STAGE_MS;
}

export class WarpView {
  /** options.legend() says whether to draw the legend (the embed drops it when narrow). */
  constructor(root, state, options = {}) {
    this.legend = options.legend ?? (() => true);
    this.el = root.querySelector('[data-view="warp"]');
    this.slider = root.querySelector('[data-stage-slider]');
    this.name = root.querySelector('[data-stage-name]');
    this.stageId = root.querySelector('[data-stage-id]'); // the name lessons and ?stage= use
    this.hint = root.querySelector('[data-stage-hint]');
    this.formula = root.querySelector('[data-formula]');
    this.playButton = root.querySelector('[data-action="play-layers"]');
    this.state = state;
    this.animating = false;
    this.playing = false;
    this.dims = 0;
  }

  /** Draw the current snapshot at the current stage, at once. */
  draw() {
    const { state, el } = this;
    const snapshot = state.current();
    if (!snapshot || this.animating) return;
    const { meta } = snapshot;
    const name = state.stageName();
    if (!plotlyReady()) {
      this.sketch(snapshot, name);
      return;
    }
    if (this.dims !== meta.dims) {
      Plotly.purge(el); // 2-D and 3-D plots share the element; start clean when switching
      this.dims = meta.dims;
    }
    const positions = snapshot.stage(name);
    const last = name === lastStage(meta);
    const boundaries = last ? snapshot.readout.boundaries : null;
    const drawn = meta.dims === 3
      ? renderWarp3d(el, { meta, positions, readout: last ? snapshot.readout : null })
      : renderWarp(el, { meta, positions, boundaries, legend: this.legend() });
    drawn.then(() => {
      clearSketch(el);
      el.dataset.step = String(snapshot.step);
      el.dataset.stage = name;
    });
    this.describe(name, snapshot);
  }

  /** Before plotly.js has run: the same picture on a canvas, then plotly.js after the paint. */
  sketch(snapshot, name) {
    const { meta } = snapshot;
    if (meta.dims === 2) {
      const last = name === lastStage(meta);
      sketchWarp(this.el, { meta, positions: snapshot.stage(name), legend: this.legend(),
        boundaries: last ? snapshot.readout.boundaries : null });
      this.el.dataset.sketchStep = String(snapshot.step);
      this.el.dataset.sketchStage = name;
    }
    this.describe(name, snapshot);
    loadPlotlyAfterPaint();
  }

  describe(name, snapshot) {
    const { meta } = snapshot;
    this.slider.max = String(meta.stages.length - 1);
    this.slider.value = String(this.state.stageIndex);
    const { kind, layer, formula } = stageFormula(name, snapshot, meta.config.activation);
    const label = t(`stageName.${kind}`, { k: layer });
    this.slider.setAttribute('aria-valuetext', t('stage.valuetext', { k: this.state.stageIndex + 1,
      n: meta.stages.length, name: label, text: t(`stage.${kind}`) }));
    this.name.textContent = label;
    if (this.stageId) this.stageId.textContent = kind === 'input' ? '' : name;
    const boundary = name === lastStage(meta) ? ` ${t(meta.dims === 2 ? 'stage.boundary' : 'stage.planes')}` : '';
    this.hint.textContent = t('stage.hint', { text: t(`stage.${kind}`) }) + boundary;
    this.formula.textContent = formula;
  }

  /**
   * Names of every frame from stage index `from` to `to`, tweens included. Positions are linear
   * in M, and the stretch runs linearly from I to P, so a straight tween to its last frame
   * passes through every other stretch frame exactly: only the rotation needs its frames.
   */
  path(snapshot, from, to) {
    const stages = snapshot.meta.stages;
    const into = (name) => snapshot.tweensInto(name).filter((n) => !STRETCH_PART.test(n));
    const names = [];
    if (to > from) {
      for (let i = from + 1; i <= to; i++) names.push(...into(stages[i]), stages[i]);
    } else {
      for (let i = from; i > to; i--) names.push(...into(stages[i]).reverse(), stages[i - 1]);
    }
    return names;
  }

  /** Move to stage `index`, tweening through every frame in between. */
  async moveTo(index) {
    const { state } = this;
    const snapshot = state.current();
    if (!snapshot || this.animating) return;
    if (!plotlyReady()) {
      this.jumpTo(index); // the sketch has no tweens
      return;
    }
    const from = state.stageIndex;
    state.setStage(index);
    const to = state.stageIndex;
    if (to === from) return;
    const names = [snapshot.meta.stages[from], ...this.path(snapshot, from, to)];
    const steps = names.map((n) => snapshot.stage(n));
    const scale = motionScale();
    const durations = names.slice(1).map((n, i) => Math.round(legDuration(names[i], n) * scale));
    this.el.dataset.tweenMs = String(durations.reduce((sum, ms) => sum + ms, 0));
    this.animating = true;
    this.el.dataset.animating = 'true';
    try {
      if (snapshot.meta.dims === 3) {
        for (let i = 1; i < steps.length; i++) {
          const leg = { meta: snapshot.meta, steps: [steps[i - 1], steps[i]], duration: durations[i - 1] };
          await animateWarp3d(this.el, leg);
        }
      } else {
        await animateWarp(this.el, { meta: snapshot.meta, steps: steps.slice(1), duration: durations,
          settle: Math.round(SETTLE_MS * scale) });
      }
    } finally {
      this.animating = false;
      delete this.el.dataset.animating;
    }
    this.draw(); // exact positions, boundaries, and whatever arrived meanwhile
  }

  /** Jump without a tween (slider drags). */
  jumpTo(index) {
    this.state.setStage(index);
    this.draw();
  }

  /** Play every stage from the input to the last, or stop if already playing. */
  async playLayers() {
    if (this.playing) {
      this.playing = false;
      return;
    }
    this.playing = true;
    this.showPlaying(true);
    this.jumpTo(0);
    const count = this.state.meta ? this.state.meta.stages.length : 0;
    for (let i = 1; i < count && this.playing; i++) {
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      if (this.playing) await this.moveTo(i);
    }
    this.playing = false;
    this.showPlaying(false);
  }

  /** The play button turns into its own stop button while the layers play. */
  showPlaying(playing) {
    if (!this.playButton) return;
    this.playButton.textContent = t(playing ? 'stage.stop' : 'stage.play');
    this.playButton.setAttribute('aria-pressed', String(playing));
  }
}
