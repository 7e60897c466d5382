// Starting, pausing, resuming and single-stepping a run. The server keeps no state per client:
// a run is its config, so pausing closes the stream and playing reopens it with `after=<last
// step>` (the query form of Last-Event-ID); a single step asks /api/snapshot for N and N + 1.
// Out of sight (a hidden tab, an embed scrolled away) the stream is let go the same way and
// reopened where it was when seen again: a browser's six connections per server go to the
// streams someone is watching.

import { Snapshot } from './decode.js';
import { StreamClient } from './stream.js';
import { Turns } from './turns.js';
import { queryString } from './url.js';

const RESUMED_MS = 4000;

export class Run {
  /** `pacing` holds every/rate when the URL set them; `onInvalid(errors)` shows 422 messages. */
  constructor(state, pacing, onInvalid) {
    this.state = state;
    this.pacing = pacing;
    this.onInvalid = onInvalid;
    this.stream = new StreamClient();
    this.visible = true;
    this.suspended = false; // a stream is wanted, but let go while out of sight
    this.turns = null; // with takeTurns(): shares the browser's connections with other embeds
    this.runToken = 0; // a new run (restart, lesson, config) makes answers for the old one stale
    this.stream.addEventListener('connection', ({ detail }) => this.turns?.follow(detail.state));
    this.stream.addEventListener('meta', ({ detail }) => {
      if (!state.meta) state.setMeta(detail.meta);
    });
    this.stream.addEventListener('snapshot', ({ detail }) => {
      state.addSnapshot(detail.snapshot);
      if (state.paused) return; // paused by a listener of this very snapshot (a class's step)
      // "resumed" stays up a few seconds so that it can be read, then back to "training…"
      const { kind, since } = state.status;
      if (kind !== 'streaming' && (kind !== 'resumed' || performance.now() - since > RESUMED_MS)) {
        state.setStatus('streaming');
      }
    });
    this.stream.addEventListener('status', ({ detail }) => {
      state.setStatus(detail.kind, { since: performance.now() });
    });
    this.stream.addEventListener('done', ({ detail }) => state.setStatus('done', detail));
    this.stream.addEventListener('servererror', ({ detail }) => state.setStatus('error', detail));
    this.stream.addEventListener('refused', () => this.explainRefusal());
  }

  /** Share the browser's connections to this server with the other embeds of the page
   * (turns.js): when one waits, the longest holder lets go and queues again. */
  takeTurns() {
    this.turns = new Turns(() => {
      if (this.stream.source && this.visible && !this.state.paused) this.open();
    });
  }

  query(extra = {}) {
    return queryString(this.state.config, { ...this.pacing, ...extra });
  }

  /** Start the current config from step 0. */
  start() {
    this.runToken += 1;
    this.state.startRun();
    this.open();
  }

  /** Open the stream after the newest snapshot (from the start if none), or wait to be seen. */
  open() {
    if (!this.visible) {
      this.stream.close();
      this.suspended = true;
      return;
    }
    this.suspended = false;
    const last = this.state.snapshots.at(-1);
    this.stream.open(`/api/stream?${this.query(last ? { after: last.step } : {})}`);
  }

  /** Go on from right after step `after` (a class's paused step): playing, the stream opened
   * there rather than after the newest snapshot this page has. */
  resumeAfter(after) {
    const { state } = this;
    if (state.paused) state.setPaused(false);
    if (!this.visible) return this.open();
    this.suspended = false;
    this.stream.open(`/api/stream?${this.query({ after })}`);
  }

  /** In sight or not: out of sight the connection is let go; back in sight it resumes. */
  setVisible(visible) {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!visible && this.stream.source) {
      this.stream.close();
      this.suspended = true;
    } else if (visible && this.suspended) {
      this.open();
    }
  }

  pause() {
    if (this.state.status.kind === 'done') return;
    this.stream.close();
    this.suspended = false;
    this.state.setPaused(true);
  }

  play() {
    const { state } = this;
    if (!state.paused) return;
    state.setPaused(false);
    this.open();
  }

  /** The run's snapshot at `step`, from /api/snapshot (the run's meta must be here). */
  async fetchStep(step) {
    const response = await fetch(`/api/snapshot?${this.query({ step, form: 'wire' })}`);
    if (!response.ok) throw new Error(`${response.status}`);
    return Snapshot.fromWire(this.state.meta, await response.json());
  }

  /** Pause, then take exactly one training step from the newest snapshot. */
  async stepOnce() {
    const { state } = this;
    if (!state.meta || !state.snapshots.length) return;
    if (!state.paused) this.pause();
    const from = state.snapshots.at(-1).step;
    if (from >= state.config.steps || state.status.kind === 'done') return;
    state.setStatus('stepping');
    const token = this.runToken;
    try {
      const [before, after] = await Promise.all([this.fetchStep(from), this.fetchStep(from + 1)]);
      if (token !== this.runToken) return; // the run changed meanwhile: this step is not its
      state.setCursor(state.snapshots.length); // follow the newest: the step just taken
      state.addSnapshot(after);
      state.setSingle({ before, after });
      state.setStatus(after.reason ? 'done' : 'paused', after.reason ? { reason: after.reason, step: after.step } : {});
    } catch (error) {
      if (token === this.runToken) state.setStatus('error', { message: String(error.message || error) });
    }
  }

  /**
   * EventSource cannot read why it was refused, so ask again with fetch, which can: a 422
   * names each bad parameter, a 503 says when to retry. A stream that does open is dropped.
   */
  async explainRefusal() {
    const { state } = this;
    const abort = new AbortController();
    let retryAfter = 2;
    let full = false;
    try {
      const response = await fetch(`/api/stream?${this.query()}`, { signal: abort.signal });
      if (response.status === 422) {
        const body = await response.json();
        const errors = {};
        for (const item of body.detail || []) errors[item.loc.at(-1)] = item.msg;
        this.onInvalid(errors);
        state.setStatus('invalid', { message: Object.values(errors).join('; ') });
        return;
      }
      if (response.status === 503) {
        // full (or busy): say so, with when it tries again, rather than wait in silence
        retryAfter = Number(response.headers.get('Retry-After')) || retryAfter;
        full = true;
      }
    } catch {
      // the server is unreachable: retry below like any dropped connection
    } finally {
      abort.abort();
    }
    if (full) state.setStatus('full', { seconds: retryAfter });
    else state.setStatus('reconnecting');
    setTimeout(() => {
      if (!state.paused && !this.suspended && this.stream.source === null) this.open();
    }, retryAfter * 1000);
  }
}
