// A teacher's move, both ways: what the teacher's page shows, captured as the class's state
// (docs/classroom.md), and that state put on a student's page through the store, by the same
// paths a URL or a lesson takes (setConfig with a stage, a lesson step, the warp view's moves).

import { findStage } from '../url.js';

// the page parameters a `view` names, in its order: "filmstrip-regions" is both
const VIEW_PARTS = [['view', 'filmstrip', 'filmstrip'], ['regions', '1', 'regions']];

/** The views in front as one `view` name (docs/classroom.md: ≤ 32 of a-z0-9-), or null. */
export function viewOf(params) {
  const parts = VIEW_PARTS.filter(([name, value]) => params[name] === value).map(([, , part]) => part);
  return parts.length ? parts.join('-') : null;
}

/** The state of the class as this page shows it; `pacing` holds the stream's every and rate. */
export function captureMove(state, pacing) {
  const move = {
    config: { ...state.config },
    lesson: state.params.lesson ?? null,
    stage: state.meta ? state.stageName() : (state.wantedStage ?? null),
    view: viewOf(state.params),
    playing: !state.paused,
    trace: state.traced,
  };
  for (const name of ['every', 'rate']) if (pacing[name] !== undefined) move[name] = Number(pacing[name]);
  return move;
}

/** Two configs name the same run (no custom points: '' and null alike). */
export function sameConfig(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const plain = (value) => (value === null || value === undefined ? '' : String(value));
  return [...keys].every((key) => plain(a[key]) === plain(b[key]));
}

/**
 * Puts a class's state on this page. `lessons` are the page's (their steps loaded or not),
 * `warp` its warp view, `run` its stream; `setPacing(every, rate)` answers whether it changed.
 */
export class Follower {
  constructor({ state, warp, run, lessons, lessonsLoaded, setPacing, withDefaults }) {
    Object.assign(this, { state, warp, run, lessons, setPacing, withDefaults });
    this.lessonsLoaded = lessonsLoaded;
    this.pauseAtFirst = null; // a paused class: the new run pauses once it shows something
  }

  async apply(move) {
    const { state, lessons } = this;
    const paced = this.setPacing(move.every, move.rate);
    const lesson = move.lesson ?? null;
    if (lesson !== (state.params.lesson ?? null) || (lesson && lessons.active?.id !== lesson)) {
      if (lesson && !lessons.steps.length) await this.lessonsLoaded;
      const index = lessons.steps.findIndex((step) => step.id === lesson);
      if (index >= 0) lessons.go(index);
      else lessons.close();
    }
    const stage = move.stage ?? undefined;
    let restarted = false;
    if (move.config && (paced || !sameConfig(state.config, this.withDefaults(move.config)))) {
      state.setConfig(this.withDefaults(move.config), { stage: stage ?? 'input' });
      restarted = true;
    } else if (stage !== undefined) {
      this.showStage(stage);
    }
    this.showView(move.view ?? null);
    if ((move.trace ?? null) !== state.traced) state.setTraced(move.trace ?? null);
    this.showPlaying(move.playing !== false, restarted);
  }

  /** The teacher's stage: one stage away is a tween (it reads as a move), further a jump. */
  showStage(stage) {
    const { state, warp } = this;
    if (!state.meta) {
      state.setWantedStage(stage);
      return;
    }
    const index = findStage(state.meta.stages, stage);
    if (index < 0 || index === state.stageIndex) return;
    if (Math.abs(index - state.stageIndex) === 1) warp.goTo(index);
    else warp.jumpTo(index);
  }

  showView(view) {
    const parts = new Set((view ?? '').split('-'));
    for (const [name, value, part] of VIEW_PARTS) {
      const wanted = parts.has(part) ? value : null;
      if ((this.state.params[name] ?? null) !== wanted) this.state.setParam(name, wanted);
    }
  }

  /** Paused or playing as the teacher is; a paused class's new run first shows its first snapshot. */
  showPlaying(playing, restarted) {
    const { state, run } = this;
    if (this.pauseAtFirst) state.removeEventListener('change', this.pauseAtFirst);
    this.pauseAtFirst = null;
    if (playing) {
      if (state.paused) run.play();
      return;
    }
    if (state.paused) return;
    if (!restarted && state.snapshots.length) {
      run.pause();
      return;
    }
    this.pauseAtFirst = ({ detail }) => {
      if (detail.what !== 'snapshot') return;
      state.removeEventListener('change', this.pauseAtFirst);
      this.pauseAtFirst = null;
      run.pause();
    };
    state.addEventListener('change', this.pauseAtFirst);
  }
}
