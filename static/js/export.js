// Export: a PNG of the warp view as drawn, and links that the server answers with a standalone
// HTML animation of the current step's stages or the run's weights as JSON.

import { CONSTANTS } from './constants.js';
import { t } from './i18n.js';
import { plotlyReady } from './plotly-loader.js';
import { queryString } from './url.js';

const DEFAULT_EVERY = CONSTANTS.defaultEvery; // a run file's pace when the stream's does not say

export class Exports {
  constructor(root, state) {
    this.state = state;
    this.warp = root.querySelector('[data-view="warp"]');
    this.png = root.querySelector('[data-export-png]');
    this.animation = root.querySelector('[data-export-animation]');
    this.run = root.querySelector('[data-export-run]');
    this.png.addEventListener('click', () => this.downloadPng());
    state.addEventListener('change', ({ detail }) => {
      if (['config', 'run', 'meta', 'snapshot', 'cursor', 'stage'].includes(detail.what)) this.update();
    });
    this.update();
  }

  /** Point both links at the current config (and the shown step), so a click downloads it. */
  update() {
    const { config, meta } = this.state;
    const snapshot = this.state.current();
    const step = snapshot ? snapshot.step : 0;
    this.animation.href = `/api/export/animation?${queryString(config, { step })}`;
    this.animation.download = `layerwarp-step${step}.html`;
    this.animation.title = t('share.animationTitle', { step });
    const every = meta?.every ?? DEFAULT_EVERY;
    this.run.href = `/api/export/run?${queryString(config, { every })}`;
    this.run.download = 'layerwarp-run.json';
  }

  /** Plotly draws the SVG into a canvas (img-src data:) and downloads it: no server round trip. */
  async downloadPng() {
    if (!plotlyReady() || !this.warp.data) return;
    const snapshot = this.state.current();
    const name = `layerwarp-${this.state.stageName().replace(/[^\w.-]/g, '_')}-step${snapshot ? snapshot.step : 0}`;
    await Plotly.downloadImage(this.warp, {
      format: 'png', filename: name, scale: 2,
      width: this.warp.clientWidth || 800, height: this.warp.clientHeight || 600,
    });
  }
}
