// The page's one source of truth. Views listen for `change` events; detail.what says what
// changed: 'config', 'meta', 'snapshot', 'stage', 'cursor', 'status', 'single'.

const MAX_HISTORY = 1000; // snapshots kept for the timeline

export class State extends EventTarget {
  constructor(config) {
    super();
    this.config = config; // the TrainConfig fields, as the URL states them
    this.meta = null; // decoded meta event of the current run
    this.snapshots = []; // every Snapshot received, in step order
    this.cursor = -1; // index into snapshots; -1 follows the newest
    this.stageIndex = 0; // index into meta.stages
    this.status = { kind: 'connecting' };
    this.single = null; // { before, after } of the last single step
    this.paused = false;
    this.draft = null; // your own points while you edit them: [{x, y, label}] (own-data.js)
  }

  emit(what) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what } }));
  }

  setConfig(config) {
    this.config = config;
    this.meta = null;
    this.snapshots = [];
    this.cursor = -1;
    this.single = null;
    this.emit('config');
  }

  setMeta(meta) {
    this.meta = meta;
    this.stageIndex = Math.min(this.stageIndex, meta.stages.length - 1);
    this.emit('meta');
  }

  addSnapshot(snapshot) {
    const last = this.snapshots.at(-1);
    if (last && snapshot.step <= last.step) return; // a resumed stream never repeats, but be safe
    if (last && this.cursor === -1) last.forget();
    this.snapshots.push(snapshot);
    if (this.snapshots.length > MAX_HISTORY && this.cursor === -1) {
      // thin the older half to every other snapshot: the timeline still spans the whole run
      const half = Math.floor(this.snapshots.length / 2);
      const older = this.snapshots.slice(0, half).filter((_, i) => i % 2 === 0);
      this.snapshots = older.concat(this.snapshots.slice(half));
    }
    this.emit('snapshot');
  }

  /** The snapshot the views show: the scrubbed one, or the newest. */
  current() {
    if (this.cursor >= 0) return this.snapshots[this.cursor];
    return this.snapshots.at(-1) ?? null;
  }

  setCursor(index) {
    const newest = this.snapshots.length - 1;
    const next = index >= newest ? -1 : Math.max(0, index);
    if (next === this.cursor) return;
    this.cursor = next;
    this.emit('cursor');
  }

  stageName() {
    return this.meta ? this.meta.stages[this.stageIndex] : 'input';
  }

  setStage(index) {
    if (!this.meta) return;
    const clamped = Math.max(0, Math.min(this.meta.stages.length - 1, index));
    if (clamped === this.stageIndex) return;
    this.stageIndex = clamped;
    this.emit('stage');
  }

  setStatus(kind, extra = {}) {
    this.status = { kind, ...extra };
    this.emit('status');
  }

  setSingle(single) {
    this.single = single;
    this.emit('single');
  }
}
