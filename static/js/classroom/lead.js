// The teacher's side of a move: each deliberate change of what the page shows is posted to the
// class at once, and the rest of a burst (a slider dragged, a tween's stages) a short while after
// its last change, one post at a time and only when something changed, so thirty screens follow
// within a second. (Waiting out a quiet spell before every post let a busy page's moves wait
// seconds: its timers fire late, and a move that comes on its own needs no wait.)

import { captureMove } from './moves.js';

const QUIET_MS = 120; // a burst of changes is one move
// the store's changes a move is made of (a snapshot or a status is the run's own doing)
const MOVES = new Set(['config', 'meta', 'stage', 'wanted', 'paused', 'traced', 'param', 'cursor']);

export class Leader {
  /** `onRefused(result)` hears of a post the server refused (403: not this class's teacher; 410: ended). */
  constructor(api, state, pacing, onRefused) {
    Object.assign(this, { api, state, pacing, onRefused });
    this.sent = null; // JSON of the last move the server took
    this.timer = 0;
    this.sending = null;
    this.again = false;
    this.lastSent = -Infinity; // performance.now() of the last post's start
    this.queued = false; // a post waits for the code that made the move to finish
    this.listener = ({ detail }) => {
      if (MOVES.has(detail.what)) this.schedule();
    };
    state.addEventListener('change', this.listener);
  }

  stop() {
    this.state.removeEventListener('change', this.listener);
    clearTimeout(this.timer);
  }

  /** A move on its own goes now, once the code that made it has run (a lesson step sets its id,
   * then its run: posted apart, students would open the new step on the old run first); one
   * within QUIET_MS of the last post waits for the burst's end. */
  schedule() {
    clearTimeout(this.timer);
    if (!this.sending && performance.now() - this.lastSent >= QUIET_MS) {
      if (this.queued) return;
      this.queued = true;
      queueMicrotask(() => {
        this.queued = false;
        this.send();
      });
    } else {
      this.timer = setTimeout(() => this.send(), QUIET_MS);
    }
  }

  /** Post what the page shows now (with `extra`, e.g. a mode), unless the class has it already. */
  async send(extra = {}) {
    if (this.sending) {
      this.again = true;
      return this.sending;
    }
    const shown = captureMove(this.state, this.pacing);
    const text = JSON.stringify(shown);
    if (text === this.sent && !Object.keys(extra).length) return null;
    this.lastSent = performance.now();
    this.sending = this.api.move({ ...shown, ...extra });
    try {
      const result = await this.sending;
      if (result.ok) this.sent = text;
      else this.onRefused(result);
      return result;
    } finally {
      this.sending = null;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }
}
