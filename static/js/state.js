// The page's one source of truth, and the only way it changes: every field is read-only from
// outside (assigning one throws), and every write is a method below that dispatches one
// `change` event whose detail.what names it. Listeners redraw from those events.
//
// what       written by                     means
// config     setConfig                      the TrainConfig fields, as the URL states them
// run        startRun                       a new run of the config began: no meta, no snapshots
// meta       setMeta                        the run's meta event arrived
// snapshot   addSnapshot                    a snapshot arrived
// cursor     setCursor                      the timeline was scrubbed (or follows the newest again)
// stage      setStage                       another stage is shown
// wanted     setWantedStage                 the stage a restart should open at was forgotten or set
// status     setStatus                      the stream's state (connecting, streaming, done…)
// paused     setPaused                      paused or resumed (status follows: paused, connecting)
// single     setSingle                      a single training step's before and after
// draft      setDraft                       your own points while you edit them
// traced     setTraced                      the point traced through every stage
// param      setParam                       a page parameter kept in the URL (detail.name says which)
// theme      setTheme                       light or dark
// present    setPresent                     presentation mode on or off
// classroom  setClassroom                   the class this page leads or follows (classroom/)

import { findStage } from './url.js';

const MAX_HISTORY = 1000; // snapshots kept for the timeline

export class State extends EventTarget {
  #config;
  #meta = null;
  #snapshots = [];
  #cursor = -1; // index into snapshots; -1 follows the newest
  #stageIndex = 0; // index into meta.stages
  #wantedStage; // by name (or `last`): where a new run opens, kept across restarts
  #status = Object.freeze({ kind: 'connecting' });
  #single = null; // { before, after } of the last single step
  #paused = false;
  #draft = null; // your own points while you edit them: [{x, y, label}] (own-data.js)
  #traced = null; // index of the traced point, or null
  #params = Object.freeze({}); // page parameters their own modules keep in the URL
  #theme;
  #themeChosen; // by the URL or the toggle (kept in the URL), not just the system's
  #present = false;
  #language;
  // the class this page leads or follows: {code, role, mode, own, ended, roster, challenge, board…}
  #classroom = null;

  /**
   * `config` as the URL states it; options.stage is the stage asked for by name (or `last`),
   * options.language the page's language (fixed: choosing another reloads the page).
   */
  constructor(config, { stage, theme = 'light', themeChosen = false, present = false, language = 'en' } = {}) {
    super();
    this.#config = Object.freeze({ ...config });
    this.#wantedStage = stage;
    this.#theme = theme;
    this.#themeChosen = themeChosen;
    this.#present = present;
    this.#language = language;
  }

  get config() { return this.#config; }
  get meta() { return this.#meta; }
  get snapshots() { return this.#snapshots; }
  get cursor() { return this.#cursor; }
  get stageIndex() { return this.#stageIndex; }
  get wantedStage() { return this.#wantedStage; }
  get status() { return this.#status; }
  get single() { return this.#single; }
  get paused() { return this.#paused; }
  get draft() { return this.#draft; }
  get traced() { return this.#traced; }
  get params() { return this.#params; }
  get theme() { return this.#theme; }
  get themeChosen() { return this.#themeChosen; }
  get present() { return this.#present; }
  get language() { return this.#language; }
  get classroom() { return this.#classroom; }

  #emit(what, extra = {}) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what, ...extra } }));
  }

  /**
   * A new config (its run starts on the listener's say: an invalid one does not). With
   * options.stage (a lesson) the new run opens at that stage, and the URL states it at once.
   */
  setConfig(config, { stage } = {}) {
    this.#config = Object.freeze({ ...config });
    if (stage !== undefined) {
      this.#wantedStage = stage;
      this.#stageIndex = 0;
      this.#meta = null; // the URL states the lesson's stage, not the last run's
    }
    this.#emit('config');
  }

  /** A run of the current config starts from step 0: the last run's data goes. */
  startRun() {
    this.#meta = null;
    this.#snapshots = [];
    this.#cursor = -1;
    this.#single = null;
    this.#paused = false;
    this.#status = Object.freeze({ kind: 'connecting' });
    this.#emit('run');
  }

  /** The run's meta: its stages decide which index the wanted stage has. */
  setMeta(meta) {
    this.#meta = meta;
    const wanted = findStage(meta.stages, this.#wantedStage);
    this.#stageIndex = wanted >= 0 ? wanted : Math.min(this.#stageIndex, meta.stages.length - 1);
    this.#emit('meta');
  }

  addSnapshot(snapshot) {
    const last = this.#snapshots.at(-1);
    if (last && snapshot.step <= last.step) return; // a resumed stream never repeats, but be safe
    if (last && this.#cursor === -1) last.forget();
    this.#snapshots.push(snapshot);
    if (this.#snapshots.length > MAX_HISTORY && this.#cursor === -1) {
      // thin the older half to every other snapshot: the timeline still spans the whole run
      const half = Math.floor(this.#snapshots.length / 2);
      const older = this.#snapshots.slice(0, half).filter((_, i) => i % 2 === 0);
      this.#snapshots = older.concat(this.#snapshots.slice(half));
    }
    this.#emit('snapshot');
  }

  /** A snapshot older than the newest, put in its place by step (a class's step this page's
   * stream skipped); its index. Nothing is emitted: the caller moves the cursor to it. */
  insertSnapshot(snapshot) {
    const at = this.#snapshots.findIndex((s) => s.step >= snapshot.step);
    if (at < 0) {
      this.addSnapshot(snapshot);
      return this.#snapshots.length - 1;
    }
    if (this.#snapshots[at].step === snapshot.step) return at;
    this.#snapshots.splice(at, 0, snapshot);
    if (this.#cursor >= at) this.#cursor += 1; // the scrubbed snapshot stays the one shown
    return at;
  }

  /** The snapshot the views show: the scrubbed one, or the newest. */
  current() {
    if (this.#cursor >= 0) return this.#snapshots[this.#cursor];
    return this.#snapshots.at(-1) ?? null;
  }

  setCursor(index) {
    const newest = this.#snapshots.length - 1;
    const next = index >= newest ? -1 : Math.max(0, index);
    if (next === this.#cursor) return;
    this.#cursor = next;
    this.#emit('cursor');
  }

  stageName() {
    return this.#meta ? this.#meta.stages[this.#stageIndex] : 'input';
  }

  /**
   * Show stage `index`. A reader's choice (options.chosen) is also where the next run opens;
   * the hands-free motion's stages are not, so a reload plays the layers again.
   */
  setStage(index, { chosen = true } = {}) {
    if (!this.#meta) return;
    const clamped = Math.max(0, Math.min(this.#meta.stages.length - 1, index));
    if (clamped === this.#stageIndex) return;
    this.#stageIndex = clamped;
    if (chosen) this.#wantedStage = this.#meta.stages[clamped];
    this.#emit('stage');
  }

  /** Where the next run opens (a name, `last`, or undefined for where the last one was). */
  setWantedStage(name) {
    this.#wantedStage = name;
    this.#emit('wanted');
  }

  setStatus(kind, extra = {}) {
    this.#status = Object.freeze({ kind, ...extra });
    this.#emit('status');
  }

  /** Pause or resume the stream: the status says so at once. */
  setPaused(paused) {
    this.#paused = paused;
    this.#status = Object.freeze(paused ? { kind: 'paused' } : { kind: 'connecting' });
    this.#emit('paused');
  }

  setSingle(single) {
    this.#single = single;
    this.#emit('single');
  }

  /** Your own points while you edit them, or null when you are not editing. */
  setDraft(points) {
    this.#draft = points;
    this.#emit('draft');
  }

  /** The point traced through every stage (an index into the run's points), or null. */
  setTraced(index) {
    this.#traced = Number.isInteger(index) && index >= 0 ? index : null;
    this.#emit('traced');
  }

  /** Set (or with null, drop) one page parameter kept in the URL. */
  setParam(name, value) {
    const params = { ...this.#params };
    if (value === null || value === undefined) delete params[name];
    else params[name] = String(value);
    this.#params = Object.freeze(params);
    this.#emit('param', { name });
  }

  /**
   * Light or dark; `chosen` (not just the system's) keeps it in the URL. Back to an entry that
   * chose none makes it the system's again (restore.js), so `chosen` is set, not just added.
   */
  setTheme(theme, chosen = true) {
    this.#theme = theme;
    this.#themeChosen = chosen;
    this.#emit('theme');
  }

  setPresent(on) {
    this.#present = Boolean(on);
    this.#emit('present');
  }

  /** Join a class or change what is known of it (`patch` over it); with null, leave it. */
  setClassroom(patch) {
    this.#classroom = patch === null ? null : Object.freeze({ ...this.#classroom, ...patch });
    this.#emit('classroom');
  }

  /** The page parameters the store keeps for the URL: params, and trace, theme, present, class. */
  urlParams() {
    const live = this.#classroom && !this.#classroom.ended;
    return {
      ...this.#params,
      class: live ? this.#classroom.code : undefined,
      trace: this.#traced === null ? undefined : String(this.#traced),
      theme: this.#themeChosen ? this.#theme : undefined,
      present: this.#present ? '1' : undefined,
    };
  }
}
