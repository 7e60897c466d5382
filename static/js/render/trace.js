// Trace a point: one data point's coordinates after every stage, and each layer's formula worked
// out for it in numbers (a′ = σ(W·a + b) with W, a, b and the result). Built with textContent.

import { appendText, num, vector } from '../format.js';

/** The point's position at stage `name` (a row of snapshot.stage(name)). */
export function tracedAt(snapshot, name, index) {
  const { dims, gridRows } = snapshot.meta;
  const positions = snapshot.stage(name);
  const row = (gridRows + index) * dims;
  return Array.from(positions.subarray(row, row + dims));
}

/** data: {snapshot, index (into the points: training first, then test), look (its t)}. */
export function renderTrace(el, { snapshot, index, look }) {
  const { t } = look;
  const { meta } = snapshot;
  const count = meta.labels.length;
  el.replaceChildren();
  if (!Number.isInteger(index) || index < 0 || index >= count) return; // null >= 0 holds in JS
  const part = index < meta.n_train ? t('train') : t('test');
  appendText(el, 'p', t('trace.title', { index, c: meta.labels[index], part }), 'trace-title');
  const table = document.createElement('table');
  const body = table.createTBody();
  const sigma = meta.config.activation;
  let previous = tracedAt(snapshot, 'input', index);
  for (const name of meta.stages) {
    const at = tracedAt(snapshot, name, index);
    const row = body.insertRow();
    row.dataset.traceStage = name;
    appendText(row, 'th', name);
    appendText(row, 'td', vector(at), 'mono');
    const { layer: k, kind } = snapshot.record(name);
    let worked = '';
    if (kind === 'act') {
      const layer = snapshot.layers[k - 1];
      const W = `[${layer.W.map((r) => r.map((v) => num(v)).join(', ')).join('; ')}]`;
      worked = `${sigma}(${W}·${vector(previous)} + ${vector(layer.b)}) = ${vector(at)}`;
    }
    appendText(row, 'td', worked, 'mono trace-formula');
    if (kind === 'act' || kind === 'res') previous = at;
  }
  el.append(table);
}
