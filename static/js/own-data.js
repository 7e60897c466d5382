// Your own data: click the input-space view to add a point of the chosen class or to remove
// one, or upload a CSV. The points travel in the URL (dataset=custom&data=…, custom-data.js), so
// the server stores nothing; each edit restarts the run, debounced.

import { CONSTANTS } from './constants.js';
import { decodePoints, encodePoints, LIMIT, MAX_POINTS, pointsProblem, SCALE } from './custom-data.js';
import { t } from './i18n.js';

const DEBOUNCE_MS = 600; // after the last click, the run restarts with the new points
const HIT_PX = 9; // a click this close to a point removes it
const MAX_CSV_BYTES = CONSTANTS.csvMaxBytes; // the server's cap on a request body

const snap = (v) => Math.round(Math.min(LIMIT, Math.max(-LIMIT, v)) * SCALE) / SCALE;

export class OwnData {
  /** `commit(patch)` applies a config patch (and so restarts); the store's `draft` event redraws. */
  constructor(root, state, { commit }) {
    this.state = state;
    this.commit = commit;
    this.plot = root.querySelector('[data-view="field"]');
    this.edit = root.querySelector('[data-own-edit]');
    this.box = root.querySelector('[data-own-data]');
    this.count = root.querySelector('[data-own-count]');
    this.message = root.querySelector('[data-own-errors]'); // the CSV's problems, by line
    this.hint = root.querySelector('[data-own-hint]'); // why the drawn points cannot train yet
    this.csv = root.querySelector('[data-own-csv]');
    this.timer = null;
    this.committed = state.config.dataset === 'custom' ? state.config.data : null;
    this.edit.addEventListener('change', () => this.setEditing(this.edit.checked));
    root.querySelector('[data-own-clear]').addEventListener('click', () => this.clear());
    this.csv.addEventListener('change', () => this.upload(this.csv.files[0]));
    this.plot.addEventListener('click', (event) => this.click(event));
    state.addEventListener('change', ({ detail }) => {
      if (detail.what === 'run') this.followConfig();
    });
    this.describe();
  }

  chosenClass() {
    return Number(this.box.querySelector('input[name="own-class"]:checked')?.value ?? 0);
  }

  /** The run's points (train then test) as a draft: where an edit of generated data starts. */
  currentPoints() {
    const { config, meta } = this.state;
    if (config.dataset === 'custom') return decodePoints(config.data);
    if (!meta) return [];
    const count = meta.n_train + meta.n_test;
    const stride = Math.ceil(count / MAX_POINTS);
    const points = [];
    for (let i = 0; i < count; i += stride) {
      points.push({ x: snap(meta.points[2 * i]), y: snap(meta.points[2 * i + 1]), label: meta.labels[i] });
    }
    return points;
  }

  setEditing(on) {
    clearTimeout(this.timer);
    this.timer = null;
    this.edit.checked = on;
    this.plot.dataset.editing = String(on);
    this.state.setDraft(on ? this.currentPoints() : null);
    this.describe();
  }

  setDraft(points) {
    if (!this.state.draft) {
      this.edit.checked = true;
      this.plot.dataset.editing = 'true';
    }
    this.state.setDraft(points);
    this.describe();
  }

  /** Plot coordinates of a click, from the plot area's box and its axes' ranges. */
  coordinates(event) {
    const area = this.plot.querySelector('.nsewdrag');
    const layout = this.plot._fullLayout;
    if (!area || !layout) return null;
    const box = area.getBoundingClientRect();
    const [x0, x1] = layout.xaxis.range;
    const [y0, y1] = layout.yaxis.range;
    const u = (event.clientX - box.left) / box.width;
    const v = (event.clientY - box.top) / box.height;
    if (u < 0 || u > 1 || v < 0 || v > 1) return null;
    return { x: x0 + u * (x1 - x0), y: y1 - v * (y1 - y0), pxPerUnit: box.width / (x1 - x0) };
  }

  click(event) {
    const draft = this.state.draft;
    if (!draft) return;
    const at = this.coordinates(event);
    if (!at) return;
    const reach = HIT_PX / at.pxPerUnit;
    let nearest = -1;
    let best = Infinity;
    draft.forEach((p, i) => {
      const d = Math.hypot(p.x - at.x, p.y - at.y);
      if (d < best) [best, nearest] = [d, i];
    });
    if (nearest >= 0 && best <= reach) this.setDraft(draft.filter((_, i) => i !== nearest));
    else if (draft.length < MAX_POINTS) this.setDraft([...draft, { x: snap(at.x), y: snap(at.y), label: this.chosenClass() }]);
    this.schedule();
  }

  clear() {
    this.setDraft([]);
    this.schedule();
  }

  /** Restart with the draft once the clicks stop, if the server would take these points. */
  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.apply(), DEBOUNCE_MS);
  }

  apply() {
    this.timer = null;
    const points = this.state.draft;
    if (!points || pointsProblem(points)) return;
    const data = encodePoints(points);
    if (data === this.committed && this.state.config.dataset === 'custom') return;
    this.committed = data;
    this.commit({ dataset: 'custom', data });
  }

  async upload(file) {
    if (!file) return;
    this.csv.value = ''; // the same file chosen again is a new upload
    this.message.textContent = '';
    if (file.size > MAX_CSV_BYTES) {
      this.message.textContent = t('own.tooLarge', { kb: MAX_CSV_BYTES / 1024 });
      return;
    }
    let response;
    try {
      response = await fetch('/api/custom-data', {
        method: 'POST', body: await file.text(), headers: { 'Content-Type': 'text/csv' },
      });
    } catch (error) {
      this.message.textContent = t('own.csvRefused', { name: file.name, problems: String(error.message || error) });
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const problems = (body.detail || []).map((d) => d.msg).join('; ') || `HTTP ${response.status}`;
      this.message.textContent = t('own.csvRefused', { name: file.name, problems });
      return;
    }
    clearTimeout(this.timer);
    this.setDraft(decodePoints(body.data));
    this.apply();
  }

  /** A config from elsewhere (a preset, a loaded run) ends an edit that it replaces. */
  followConfig() {
    const { config } = this.state;
    const ours = config.dataset === 'custom' && config.data === this.committed;
    if (this.state.draft && !ours) this.setEditing(false);
    // "custom" chosen in the data set menu, with no points yet: start drawing them
    if (config.dataset === 'custom' && !config.data && !this.state.draft) this.setEditing(true);
    if (config.dataset === 'custom') this.committed = config.data;
    this.describe();
  }

  describe() {
    const draft = this.state.draft;
    const points = draft ?? (this.state.config.dataset === 'custom' ? decodePoints(this.state.config.data) : null);
    this.count.textContent = points ? t('own.count', { n: points.length, max: MAX_POINTS }) : '';
    const problem = draft ? pointsProblem(draft) : '';
    this.hint.textContent = problem ? t(`own.${problem}`, { max: MAX_POINTS }) : '';
  }
}
