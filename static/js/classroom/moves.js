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
    step: shownStep(state),
    newest: state.snapshots.at(-1)?.step ?? null,
  };
  for (const name of ['every', 'rate']) if (pacing[name] !== undefined) move[name] = Number(pacing[name]);
  return move;
}

/** The training step the teacher's timeline holds: the one scrubbed to, or the newest while
 * paused; null while it plays at the newest (each screen shows its own newest then). */
export function shownStep(state) {
  if (state.cursor >= 0) return state.current()?.step ?? null;
  return state.paused ? (state.snapshots.at(-1)?.step ?? null) : null;
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
    this.reaching = null; // a step the run has yet to reach: a listener for its snapshots
    this.fetching = null; // a step asked of the server
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
    if (move.config && (paced || !sameConfig(state.config, this.withDefaults(move.config)))) {
      state.setConfig(this.withDefaults(move.config), { stage: stage ?? 'input' });
    } else if (stage !== undefined) {
      this.showStage(stage);
    }
    this.showView(move.view ?? null);
    if ((move.trace ?? null) !== state.traced) state.setTraced(move.trace ?? null);
    const playing = move.playing !== false;
    if (playing && (move.step ?? null) === null && this.catchUp(move)) return;
    this.showTimeline(playing, move.step ?? null);
  }

  /**
   * A screen more than a second behind a class that plays (one that joins mid-run: its stream
   * starts at step 0 and plays at the teacher's pace, so it would stay that far behind) goes on
   * from the teacher's newest snapshot, as the server estimates it now. Whether it did.
   */
  catchUp({ newest = null, every, rate, config }) {
    const { state, run } = this;
    const mine = state.snapshots.at(-1)?.step ?? -1;
    if (newest === null || !every || !rate || state.status.kind === 'done') return false;
    // the teacher's newest is of the move's run: a lesson step this move opened runs another
    if (!config || !sameConfig(state.config, this.withDefaults(config))) return false;
    if (newest - mine <= every * rate) return false;
    if (this.reaching) state.removeEventListener('change', this.reaching);
    this.reaching = null;
    this.fetching = null;
    if (state.cursor >= 0) state.setCursor(state.snapshots.length); // the newest, as the teacher's
    run.resumeAfter(newest - every);
    // a run that ended before the estimate (it converged) sends `done` and no snapshot: its last
    // snapshot is asked for instead, so the screen is never empty
    const token = run.runToken;
    const ended = ({ detail }) => {
      if (detail.what === 'snapshot' || token !== run.runToken) state.removeEventListener('change', ended);
      else if (detail.what === 'status' && state.status.kind === 'done') {
        state.removeEventListener('change', ended);
        if (state.status.step > mine) this.fetchStep(state.status.step);
      }
    };
    state.addEventListener('change', ended);
    return true;
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

  /**
   * Paused or playing as the teacher is, at the teacher's step: a paused class pauses every
   * screen at that step (a screen behind fetches on from there, not through every snapshot
   * between), a scrubbed timeline shows that step; with no step, the newest. A paused class
   * without a step (an older teacher's page) pauses at whatever its run shows first.
   */
  showTimeline(playing, step) {
    const { state, run } = this;
    if (this.reaching) state.removeEventListener('change', this.reaching);
    this.reaching = null;
    this.fetching = null;
    if (playing && state.paused) run.play();
    if (this.reach(playing, step)) return;
    if (!playing && step !== null) run.resumeAfter(step - 1); // the teacher's step comes next
    this.reaching = ({ detail }) => {
      if (detail.what !== 'snapshot' || !this.reach(playing, step)) return;
      state.removeEventListener('change', this.reaching);
      this.reaching = null;
    };
    state.addEventListener('change', this.reaching);
  }

  /** Show `step` (null: the newest) if the run has it, paused unless `playing`; whether it did. */
  reach(playing, step) {
    const { state, run } = this;
    const { snapshots } = state;
    if (!snapshots.length) return false;
    const finished = state.status.kind === 'done';
    if (step !== null && snapshots.at(-1).step < step && !finished) return false;
    if (!playing && !state.paused) run.pause();
    if (step === null) {
      state.setCursor(snapshots.length);
      return true;
    }
    const index = snapshots.findIndex((snapshot) => snapshot.step === step);
    if (index >= 0) state.setCursor(index);
    else this.fetchStep(step); // skipped by this page's stream, or thinned out of its history
    return true;
  }

  /** Show the run's snapshot at `step`, asked of the server (runs are deterministic). */
  async fetchStep(step) {
    const { state, run } = this;
    const token = run.runToken;
    this.fetching = step;
    try {
      const snapshot = await run.fetchStep(step);
      if (token !== run.runToken || this.fetching !== step) return; // moved on meanwhile
      state.setCursor(state.insertSnapshot(snapshot));
    } catch {
      // the server cannot say now: the screen keeps what it shows until the next move
    }
  }
}
