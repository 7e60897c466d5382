// The teacher's side of a move: each deliberate change of what the page shows is posted to the
// class, a short while after the last of a burst (a slider dragged, a tween's stages), one post
// at a time and only when something changed, so thirty screens follow within a second.

import { captureMove } from './moves.js';

const QUIET_MS = 120; // a burst of changes is one move
// the store's changes a move is made of (a snapshot or a status is the run's own doing)
const MOVES = new Set(['config', 'meta', 'stage', 'wanted', 'paused', 'traced', 'param']);

export class Leader {
  /** `onRefused(result)` hears of a post the server refused (403: not this class's teacher; 410: ended). */
  constructor(api, state, pacing, onRefused) {
    Object.assign(this, { api, state, pacing, onRefused });
    this.sent = null; // JSON of the last move the server took
    this.timer = 0;
    this.sending = null;
    this.again = false;
    this.listener = ({ detail }) => {
      if (MOVES.has(detail.what)) this.schedule();
    };
    state.addEventListener('change', this.listener);
  }

  stop() {
    this.state.removeEventListener('change', this.listener);
    clearTimeout(this.timer);
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.send(), QUIET_MS);
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
