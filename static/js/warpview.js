// The warp view's controller: which snapshot and stage are drawn, and the tweens between
// stages. Renderers stay pure; this decides what to hand them and when.
//
// Moves are queued: a key pressed during a tween moves on from where the tween ends, so three
// presses always move three stages. "Play the layers" is a pass input → last at `speed`; the
// hands-free motion (motion.js) is the same pass, repeated while the run trains.

import { CONSTANTS } from './constants.js';
import { isTween, lastStage } from './decode.js';
import { stageFormula } from './format.js';
import { lookOf } from './look.js';
import { loadPlotly3d, loadPlotlyAfterPaint, plotly3dReady, plotlyReady, warp3d } from './plotly-loader.js';
import { clearSketch, sketchWarp } from './render/sketch.js';
import { onPointClick } from './pick.js';
import { tracedAt } from './render/trace.js';
import { animateWarp, renderWarp } from './render/warp.js';

const STAGE_MS = 450; // one stage move (and the whole stretch of W)
const TWEEN_MS = 150; // one step of W's rotation
const PAUSE_MS = 180; // rest on each stage while playing the layers
const REDUCED_MOTION = 0.15; // tweens shrink to this share under prefers-reduced-motion
const SETTLE_MS = 220; // the zoom to the last stage's own window

/** Speeds of "Play the layers", slowest first; [ and ] step through them. */
export const SPEEDS = CONSTANTS.speeds; // app/web/params.py

/** 1, or REDUCED_MOTION when the reader asked the system for less motion. */
export const motionScale = () => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? REDUCED_MOTION : 1);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stretch frame short of t = 1: the straight tween to the stretch's end passes through it. */
const stretchPart = (record) => record.kind === 'stretch' && record.t < 1;

/**
 * How long the move between two frames (their stage records) takes. A mirror frame is reached
 * by a jump: no invertible path leads to a reflection, so a tween there would flatten the plane
 * halfway.
 */
function legDuration(from, to) {
  const mirror = from.kind === 'mirror' || to.kind === 'mirror';
  if (mirror && !(isTween(from) && isTween(to))) return 0;
  if (from.kind === 'stretch' || to.kind === 'stretch') return STAGE_MS; // the whole stretch
  return isTween(from) || isTween(to) ? TWEEN_MS : STAGE_MS;
}

export class WarpView {
  /**
   * options.legend() says whether to draw the legend (the embed drops it when narrow);
   * options.axes is the 3-D window: 'fitted' (each stage its own, the default) or 'fixed' (one for all);
   * options.chosen() says whether a stage shown now is the reader's choice, where a restart
   * opens (false while the hands-free motion plays, so a reload plays again).
   */
  constructor(root, state, options = {}) {
    this.legend = options.legend ?? (() => true);
    this.chosen = options.chosen ?? (() => true);
    this.axes = options.axes ?? 'fitted';
    this.el = root.querySelector('[data-view="warp"]');
    // plotly.js keeps a 3-D scene's turned camera (in its layout, which every redraw reads) on
    // mouseup only: a finger's turn was undone by the next snapshot. Its touchend ends a drag too.
    this.el.addEventListener('touchend', (event) => {
      if (event.target instanceof HTMLCanvasElement) event.target.dispatchEvent(new MouseEvent('mouseup'));
    });
    this.slider = root.querySelector('[data-stage-slider]');
    this.name = root.querySelector('[data-stage-name]');
    this.stageId = root.querySelector('[data-stage-id]'); // the name lessons and ?stage= use
    this.hint = root.querySelector('[data-stage-hint]');
    this.formula = root.querySelector('[data-formula]');
    this.playButton = root.querySelector('[data-action="play-layers"]');
    this.speedMenu = root.querySelector('[data-speed-menu]');
    this.state = state;
    this.animating = false;
    this.dims = 0;
    this.speed = 1;
    this.target = null; // the stage the queued moves end on; null when none is queued
    this.tempo = 1; // the speed of the queued moves
    this.moving = null; // the promise of the queue being worked off
    this.play = null; // the pass of "Play the layers" in progress: {stop, auto}
    this.onSpeed = options.onSpeed ?? (() => {});
    this.onPick = options.onPick ?? null; // a click on a point: trace it
    this.onDrawable = null; // called when plotly.js's 3-D traces arrive (the hands-free motion waits)
    this.speedMenu?.addEventListener('change', () => this.setSpeed(Number(this.speedMenu.value)));
  }

  /**
   * Draw at the next frame, once however many snapshots arrive before it: a stream faster than
   * the machine can draw then skips snapshots instead of queueing redraws behind each other.
   */
  drawSoon() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Whether plotly.js can draw (and tween) a run of `meta`: its 3-D bundle for a 3-D run. */
  drawable(meta = this.state.meta) {
    return plotlyReady() && (meta?.dims !== 3 || plotly3dReady());
  }

  /** Fetch plotly.js's 3-D traces (the first 3-D view), then draw. */
  load3d() {
    loadPlotly3d().then(() => {
      this.drawSoon();
      this.onDrawable?.();
    }, () => {}); // offline or refused: the next draw asks again
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
    if (!this.drawable(meta)) {
      this.describe(state.stageIndex, snapshot);
      this.load3d();
      return;
    }
    if (this.dims !== meta.dims) {
      Plotly.purge(el); // 2-D and 3-D plots share the element; start clean when switching
      this.dims = meta.dims;
    }
    const positions = snapshot.stage(name);
    const last = name === lastStage(meta);
    const boundaries = last ? snapshot.readout.boundaries : null;
    const look = lookOf(state);
    const drawn = meta.dims === 3
      ? warp3d().renderWarp3d(el, { meta, positions, readout: last ? snapshot.readout : null,
        window: this.window3d(snapshot, [positions]), traced: this.tracedPath(snapshot), legend: this.legend(), look })
      : renderWarp(el, { meta, positions, boundaries, legend: this.legend(), traced: this.tracedPath(snapshot), look });
    drawn.then(() => {
      if (this.onPick) onPointClick(el, this.onPick);
      clearSketch(el);
      el.dataset.step = String(snapshot.step);
      el.dataset.stage = name;
    });
    this.describe(state.stageIndex, snapshot);
  }

  /** The traced point (state.traced) at every stage up to the one shown: {path}, or null. */
  tracedPath(snapshot) {
    const index = this.state.traced;
    if (!Number.isInteger(index) || index < 0 || index >= snapshot.meta.labels.length) return null;
    const upTo = snapshot.meta.stages.slice(0, this.state.stageIndex + 1);
    return { path: upTo.map((name) => tracedAt(snapshot, name, index)) };
  }

  /** The 3-D scene's window: every stage's (fixed) or just these positions' (fitted). */
  window3d(snapshot, positions) {
    const { sceneWindow, stagesWindow } = warp3d();
    return this.axes === 'fixed' ? stagesWindow(snapshot) : sceneWindow(positions);
  }

  /** Switch the 3-D window between 'fixed' and 'fitted', and redraw. */
  setAxes(axes) {
    this.axes = axes;
    this.draw();
  }

  /** Before plotly.js has run: the same picture on a canvas, then plotly.js after the paint. */
  sketch(snapshot, name) {
    const { meta } = snapshot;
    if (meta.dims === 2) {
      const last = name === lastStage(meta);
      sketchWarp(this.el, { meta, positions: snapshot.stage(name), legend: this.legend(),
        boundaries: last ? snapshot.readout.boundaries : null, look: lookOf(this.state) });
      this.el.dataset.sketchStep = String(snapshot.step);
      this.el.dataset.sketchStage = name;
    }
    this.describe(this.state.stageIndex, snapshot);
    if (meta.dims === 3) this.load3d(); // no sketch of a 3-D view: plotly.js at once
    else loadPlotlyAfterPaint();
  }

  /** The caption, slider and formula for stage `index`: set as a tween enters it. */
  describe(index, snapshot) {
    const { meta } = snapshot;
    const { t } = lookOf(this.state);
    const name = meta.stages[index];
    this.slider.max = String(meta.stages.length - 1);
    this.slider.value = String(index);
    const { kind, layer, formula } = stageFormula(snapshot.record(name), snapshot, meta.config.activation);
    const label = t(`stageName.${kind}`, { k: layer });
    this.slider.setAttribute('aria-valuetext', t('stage.valuetext', { k: index + 1,
      n: meta.stages.length, name: label, text: t(`stage.${kind}`) }));
    this.name.textContent = label;
    if (this.stageId) this.stageId.textContent = kind === 'input' ? '' : name;
    const boundary = name === lastStage(meta) ? ` ${t(meta.dims === 2 ? 'stage.boundary' : 'stage.planes')}` : '';
    // after the first layer the lines W receives are already bent: say what W does to them
    const text = kind === 'W' && layer > 1 ? t('stage.Wlater') : t(`stage.${kind}`);
    this.hint.textContent = t('stage.hint', { text }) + boundary;
    this.formula.textContent = formula;
  }

  /**
   * Every frame from stage index `from` to `to`, tweens included, each with the index of the
   * stage it moves into. Positions are linear in M, and the stretch runs linearly from I to P,
   * so a straight tween to its last frame passes through every other stretch frame exactly:
   * only the rotation needs its frames.
   */
  path(snapshot, from, to) {
    const stages = snapshot.meta.stages;
    const into = (name) => snapshot.tweensInto(name).filter((r) => !stretchPart(r)).map((r) => r.name);
    const frames = [];
    if (to > from) {
      for (let i = from + 1; i <= to; i++) {
        for (const name of [...into(stages[i]), stages[i]]) frames.push({ name, stage: i });
      }
    } else {
      for (let i = from; i > to; i--) {
        for (const name of [...into(stages[i]).reverse(), stages[i - 1]]) frames.push({ name, stage: i - 1 });
      }
    }
    return frames;
  }

  /**
   * Queue a move to stage `index` at `speed`; resolves when the queue is worked off. A move
   * asked for during a tween starts where that tween ends: nothing is dropped.
   */
  moveTo(index, speed = 1) {
    const { meta } = this.state;
    if (!meta) return Promise.resolve();
    this.target = Math.max(0, Math.min(meta.stages.length - 1, index));
    this.targetMeta = meta; // the run whose stages the target counts
    this.tempo = speed;
    this.moving ??= this.workOff();
    return this.moving;
  }

  /**
   * Tween towards the queued target until it is reached. A new run (a preset, a lesson, a
   * smaller net chosen mid-tween) ends the queue, as does a tween that moves nothing: a target
   * counted in the old run's stages could be one no tween reaches, and the loop would spin
   * without ever yielding to the page.
   */
  async workOff() {
    await null; // let moveTo keep this promise before the loop can end
    try {
      for (;;) {
        const { meta, stageIndex } = this.state;
        if (this.target === null || meta !== this.targetMeta || !this.state.current()) break;
        if (this.target === stageIndex) break;
        await this.tween(this.target, this.tempo);
        if (this.state.stageIndex === stageIndex) break;
      }
    } finally {
      this.moving = null;
      this.target = null;
      this.targetMeta = null;
    }
  }

  /** A user's move of `delta` stages from where the queued moves end. */
  step(delta) {
    this.halt();
    return this.moveTo((this.target ?? this.state.stageIndex) + delta);
  }

  /** A user's move to stage `index` (a host's setStage). */
  goTo(index) {
    this.halt();
    return this.moveTo(index);
  }

  /** A user's jump without a tween (slider drags); queued behind a tween in progress. */
  jumpTo(index) {
    this.halt();
    if (this.moving) this.moveTo(index);
    else this.jump(index);
  }

  jump(index) {
    this.state.setStage(index, { chosen: this.chosen() });
    this.draw();
  }

  /** Tween from the current stage to stage `index`, the caption naming each stage it enters. */
  async tween(index, speed) {
    const { state } = this;
    const snapshot = state.current();
    if (!this.drawable(snapshot.meta)) {
      this.jump(index); // the sketch has no tweens
      return;
    }
    const from = state.stageIndex;
    state.setStage(index, { chosen: this.chosen() });
    const to = state.stageIndex;
    if (to === from) return;
    const meta = snapshot.meta;
    const frames = this.path(snapshot, from, to);
    const names = [meta.stages[from], ...frames.map((f) => f.name)];
    const steps = names.map((n) => snapshot.stage(n));
    const scale = motionScale() / speed;
    const look = lookOf(state);
    const records = names.map((n) => snapshot.record(n));
    const durations = records.slice(1).map((r, i) => Math.round(legDuration(records[i], r) * scale));
    this.el.dataset.tweenMs = String(durations.reduce((sum, ms) => sum + ms, 0));
    this.animating = true;
    this.el.dataset.animating = 'true';
    let entered = -1;
    const enter = (frame) => {
      const stage = frames[Math.min(frame, frames.length - 1)].stage;
      if (stage === entered) return;
      entered = stage;
      this.describe(stage, snapshot);
    };
    enter(0); // the caption names where the tween goes from its first frame
    try {
      if (meta.dims === 3) {
        // fixed: one window for every frame; fitted: each leg glides from its start's box to its end's
        for (let i = 1; i < steps.length; i++) {
          enter(i - 1);
          const [a, b] = [steps[i - 1], steps[i]];
          const window = this.window3d(snapshot, [a]);
          const settle = this.axes === 'fixed' ? null : this.window3d(snapshot, [b]);
          await warp3d().animateWarp3d(this.el, { meta, steps: [a, b], duration: durations[i - 1], window, settle,
            traced: this.tracedPath(snapshot) ? this.state.traced : null, legend: this.legend(), look });
        }
      } else {
        await animateWarp(this.el, { meta, steps: steps.slice(1), duration: durations,
          settle: Math.round(SETTLE_MS * scale), onFrame: enter, look });
      }
    } finally {
      this.animating = false;
      delete this.el.dataset.animating;
    }
    this.draw(); // exact positions, boundaries, and whatever arrived meanwhile
  }

  /** The "Play the layers" button: a pass input → last, or stop the one in progress. */
  togglePlay() {
    if (this.play) {
      this.halt();
      return Promise.resolve(false);
    }
    return this.playLayers(false);
  }

  /**
   * One pass input → last at the current speed, resting PAUSE_MS on each stage. Resolves true
   * if it reached the last stage, false if it was stopped.
   */
  async playLayers(auto) {
    const play = { stop: false, auto };
    this.play = play;
    this.showPlaying(true);
    try {
      await this.moving; // a queued move finishes first
      if (play.stop) return false;
      this.jump(0);
      const count = this.state.meta ? this.state.meta.stages.length : 0;
      for (let i = 1; i < count && !play.stop; i++) {
        await sleep(PAUSE_MS * motionScale() / this.speed);
        if (!play.stop) await this.moveTo(i, this.speed);
      }
      return !play.stop;
    } finally {
      if (this.play === play) {
        this.play = null;
        this.showPlaying(false);
      }
    }
  }

  /** Stop a pass of the layers in progress (the current tween ends first) and the hands-free motion. */
  halt() {
    this.onHalt?.();
    if (!this.play) return;
    this.play.stop = true;
    this.play = null;
    this.showPlaying(false);
  }

  /** Speed of "Play the layers", one of SPEEDS (a value between snaps to the nearest). */
  setSpeed(value) {
    const nearest = SPEEDS.reduce((best, s) => (Math.abs(Math.log(s / value)) < Math.abs(Math.log(best / value)) ? s : best));
    this.speed = value >= SPEEDS[0] && value <= SPEEDS.at(-1) ? nearest : 1; // NaN too: 1
    if (this.speedMenu) this.speedMenu.value = String(this.speed);
    this.el.dataset.speed = String(this.speed);
    this.onSpeed(this.speed);
  }

  /** One step up or down SPEEDS ([ and ]). */
  changeSpeed(direction) {
    const at = SPEEDS.indexOf(this.speed);
    this.setSpeed(SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, at + direction))]);
  }

  /** The play button turns into its own stop button while the layers play. */
  showPlaying(playing) {
    if (!this.playButton) return;
    const { t } = lookOf(this.state);
    this.playButton.textContent = t(playing ? 'stage.stop' : 'stage.play');
    this.playButton.setAttribute('aria-pressed', String(playing));
  }
}
