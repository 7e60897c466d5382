// Hands-free motion: the warp view plays the layers input → last by itself once the run has
// data, and again after a rest at the last stage for as long as the run trains (loop=1), or
// once per run (loop=0). The first click or key that changes what is shown takes over for good;
// presentation, full screen, theme, help and the speed of the layers keep it moving.

import { motionScale, sleep } from './warpview.js';

const REST_MS = 2000; // on the last stage, where the boundary is drawn, between passes
const TRAINING = new Set(['connecting', 'streaming', 'resumed', 'reconnecting']);
// keys that change how the page looks, not what the warp view shows
const KEEP_KEYS = new Set(['[', ']', 'p', 'P', 'f', 'F', 't', 'T', '?', 'Tab', 'Shift', 'Control', 'Alt', 'Meta', 'Escape']);

/** What `loop=` in a URL asks for: true, false, or null when it is absent or not 0/1. */
export function readLoop(text) {
  if (text === '1') return true;
  if (text === '0') return false;
  return null;
}

export class HandsFree {
  /** loop: play again while training; root: where a user's clicks and keys take over. */
  constructor(root, warp, state, { loop = true } = {}) {
    this.root = root;
    this.warp = warp;
    this.state = state;
    // under prefers-reduced-motion one pass shows the layers; a loop would keep things moving
    this.loop = loop && motionScale() === 1;
    this.on = false;
    this.wake = () => {};
    warp.onDrawable = () => this.poke(); // a 3-D run waits for plotly.js's 3-D traces
    this.takeOver = (event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[data-keeps-motion]')) return;
      if (event.type === 'keydown' && KEEP_KEYS.has(event.key)) return;
      this.stop();
    };
  }

  start() {
    if (this.on) return;
    this.on = true;
    this.warp.onHalt = () => this.stop();
    this.root.addEventListener('pointerdown', this.takeOver, true);
    this.root.addEventListener('keydown', this.takeOver, true);
    document.addEventListener('visibilitychange', this.poke);
    this.warp.el.dataset.handsFree = 'on';
    this.run();
  }

  /** The user took over: the pass in progress ends after its current tween, and no other starts. */
  stop() {
    if (!this.on) return;
    this.on = false;
    this.warp.onHalt = null;
    this.root.removeEventListener('pointerdown', this.takeOver, true);
    this.root.removeEventListener('keydown', this.takeOver, true);
    document.removeEventListener('visibilitychange', this.poke);
    this.warp.el.dataset.handsFree = 'off';
    this.warp.halt();
    this.wake();
  }

  /** Something changed (data, status, plotly.js ready, the tab shown): maybe time for a pass. */
  poke = () => {
    this.wake();
  };

  async run() {
    let played = null; // the run (its meta) last played
    while (this.on) {
      const ready = this.warp.drawable() && this.state.current() && !document.hidden;
      const again = this.loop && TRAINING.has(this.state.status.kind);
      if (!ready || (played === this.state.meta && !again)) {
        await new Promise((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      played = this.state.meta;
      if (!(await this.warp.playLayers(true))) continue; // stopped: by the user, then `on` is false
      await sleep(REST_MS * motionScale() / this.warp.speed);
    }
  }
}
