// "Load run": a run saved with Export (JSON) is checked, its config applied and the run replayed
// (training is deterministic from the config), then one recorded step's weights are compared
// with the server's replay of that step, and the page says whether they match.

import { checkConfig, describeErrors } from './config-check.js';
import { CONSTANTS } from './constants.js';
import { t } from './i18n.js';
import { queryString } from './url.js';

const { format: RUN_FORMAT, versions: RUN_VERSIONS } = CONSTANTS.runFile; // app/export/jobs.py
const MAX_BYTES = 20 * 1024 * 1024;
const TOLERANCE = 1e-6; // per weight, relative to max(1, |w|): the files keep 9 decimals

/** The file's problem, or '' when it has the shape of a run record. */
export function recordProblem(record) {
  if (!record || typeof record !== 'object') return t('load.notJson');
  if (record.format !== RUN_FORMAT) return t('load.format', { format: RUN_FORMAT });
  if (!RUN_VERSIONS.includes(record.version)) return t('load.version', { version: record.version });
  if (!record.config || typeof record.config !== 'object') return t('load.noConfig');
  const ok = Array.isArray(record.snapshots) && record.snapshots.length > 0 && record.snapshots.every(
    (s) => Number.isInteger(s.step) && Array.isArray(s.layers) && s.readout && Array.isArray(s.readout.W),
  );
  return ok ? '' : t('load.noSnapshots');
}

/** The largest difference between two weight lists (W of each layer, then the readout's). */
function maxDifference(recorded, replayed) {
  const pairs = recorded.layers.map((layer, k) => [layer.W, replayed.layers[k]?.W]);
  pairs.push([recorded.readout.W, replayed.readout.W]);
  let worst = 0;
  for (const [a, b] of pairs) {
    if (!b || a.length !== b.length) return Infinity;
    a.forEach((row, i) => row.forEach((w, j) => {
      const d = Math.abs(w - b[i][j]) / Math.max(1, Math.abs(w));
      worst = Number.isFinite(d) ? Math.max(worst, d) : Infinity;
    }));
  }
  return worst;
}

export class LoadRun {
  /** `apply(config)` replaces the page's config and restarts the run. */
  constructor(root, { state, fields, apply }) {
    this.state = state;
    this.fields = fields;
    this.apply = apply;
    this.input = root.querySelector('[data-load-run]');
    this.report = root.querySelector('[data-load-report]');
    this.input.addEventListener('change', () => this.load(this.input.files[0]));
  }

  say(text, kind) {
    this.report.textContent = text;
    this.report.dataset.kind = kind;
  }

  async load(file) {
    this.input.value = '';
    if (!file) return;
    if (file.size > MAX_BYTES) return this.say(t('load.tooLarge'), 'error');
    let record;
    try {
      record = JSON.parse(await file.text());
    } catch {
      return this.say(t('load.notJson'), 'error');
    }
    const problem = recordProblem(record);
    if (problem) return this.say(problem, 'error');
    const defaults = Object.fromEntries(Object.entries(this.fields).map(([name, f]) => [name, f.default]));
    const { config, errors } = await checkConfig(this.fields, defaults, record.config);
    if (errors) return this.say(t('load.badConfig', { errors: describeErrors(errors) }), 'error');
    this.apply(config);
    this.say(t('load.replaying', { name: file.name }), 'working');
    return this.verify(config, record);
  }

  /** Replay one recorded step on the server and compare its weights with the file's. */
  async verify(config, record) {
    const inRun = record.snapshots.filter((s) => s.step <= config.steps);
    const recorded = inRun[Math.floor(inRun.length / 2)] ?? record.snapshots[0];
    const response = await fetch(`/api/snapshot?${queryString(config, { step: recorded.step })}`);
    if (!response.ok) return this.say(t('load.verifyFailed', { status: response.status }), 'error');
    const replayed = await response.json();
    const difference = maxDifference(recorded, replayed);
    const values = { step: recorded.step, difference: difference.toExponential(1) };
    if (difference <= TOLERANCE) return this.say(t('load.match', values), 'match');
    return this.say(t('load.mismatch', values), 'mismatch');
  }
}
