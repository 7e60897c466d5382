// Starting, pausing, resuming and single-stepping a run. The server keeps no state per client:
// a run is its config, so pausing closes the stream and playing reopens it, skipping the
// snapshots already received; a single step asks /api/snapshot for steps N and N + 1.

import { Snapshot } from './decode.js';
import { StreamClient } from './stream.js';
import { queryString } from './url.js';

export class Run {
  /** `pacing` holds every/rate when the URL set them; `onInvalid(errors)` shows 422 messages. */
  constructor(state, pacing, onInvalid) {
    this.state = state;
    this.pacing = pacing;
    this.onInvalid = onInvalid;
    this.stream = new StreamClient();
    this.stream.addEventListener('meta', ({ detail }) => {
      if (!state.meta) state.setMeta(detail.meta);
    });
    this.stream.addEventListener('snapshot', ({ detail }) => {
      state.addSnapshot(detail.snapshot);
      if (state.status.kind !== 'resumed' || state.snapshots.length % 4 === 0) state.setStatus('streaming');
    });
    this.stream.addEventListener('status', ({ detail }) => state.setStatus(detail.kind));
    this.stream.addEventListener('done', ({ detail }) => state.setStatus('done', detail));
    this.stream.addEventListener('servererror', ({ detail }) => state.setStatus('error', detail));
    this.stream.addEventListener('refused', () => this.explainRefusal());
  }

  query(extra = {}) {
    return queryString(this.state.config, { ...this.pacing, ...extra });
  }

  /** Start the current config from step 0. */
  start() {
    this.state.paused = false;
    this.state.setConfig(this.state.config);
    this.state.setStatus('connecting');
    this.stream.open(`/api/stream?${this.query()}`);
  }

  pause() {
    if (this.state.status.kind === 'done') return;
    this.stream.close();
    this.state.paused = true;
    this.state.setStatus('paused');
  }

  play() {
    const { state } = this;
    if (!state.paused) return;
    state.paused = false;
    state.setStatus('connecting');
    this.stream.open(`/api/stream?${this.query()}`);
  }

  /** Pause, then take exactly one training step from the newest snapshot. */
  async stepOnce() {
    const { state } = this;
    if (!state.meta || !state.snapshots.length) return;
    if (!state.paused) this.pause();
    const from = state.snapshots.at(-1).step;
    if (from >= state.config.steps || state.status.kind === 'done') return;
    state.setStatus('stepping');
    const fetchStep = async (step) => {
      const response = await fetch(`/api/snapshot?${this.query({ step })}`);
      if (!response.ok) throw new Error(`${response.status}`);
      return Snapshot.fromPlain(state.meta, await response.json());
    };
    try {
      const [before, after] = await Promise.all([fetchStep(from), fetchStep(from + 1)]);
      state.setCursor(state.snapshots.length); // follow the newest: the step just taken
      state.addSnapshot(after);
      state.setSingle({ before, after });
      state.setStatus(after.reason ? 'done' : 'paused', after.reason ? { reason: after.reason, step: after.step } : {});
    } catch (error) {
      state.setStatus('error', { message: String(error.message || error) });
    }
  }

  /** EventSource cannot read why it was refused: ask the plain endpoint, which says. */
  async explainRefusal() {
    const { state } = this;
    try {
      const response = await fetch(`/api/snapshot?${this.query({ step: 0 })}`);
      if (response.status === 422) {
        const body = await response.json();
        const errors = {};
        for (const item of body.detail || []) errors[item.loc.at(-1)] = item.msg;
        this.onInvalid(errors);
        state.setStatus('invalid', { message: Object.values(errors).join('; ') });
        return;
      }
      // busy (503) or a blip: try again shortly, keeping what was received
      state.setStatus('reconnecting');
      const wait = Number(response.headers.get('Retry-After') || 2) * 1000;
      setTimeout(() => {
        if (!state.paused && this.stream.source === null) this.stream.open(`/api/stream?${this.query()}`);
      }, wait);
    } catch (error) {
      state.setStatus('reconnecting');
      setTimeout(() => this.stream.open(`/api/stream?${this.query()}`), 2000);
    }
  }
}
