// One gradient step: each W before and after, the step's direction, and the loss change.

import { t } from '../i18n.js';
import { matrixRows, num } from '../format.js';

function line(parent, text, className = '') {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  parent.append(p);
}

/** data: {before, after, lr} — two decoded snapshots one step apart. */
export function renderSingle(el, { before, after, lr }) {
  const box = document.createElement('div');
  line(box, t('single.rule', { lr: num(lr, 5) }), 'mono rule');
  const change = after.metrics.loss_train - before.metrics.loss_train;
  line(box, t('single.loss', { before: num(before.metrics.loss_train, 5),
    after: num(after.metrics.loss_train, 5), change: (change > 0 ? '+' : '') + num(change, 5) }));
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const key of ['inspector.layer', 'single.before', 'single.after', 'single.direction']) {
    const th = document.createElement('th');
    th.textContent = t(key);
    head.append(th);
  }
  const body = table.createTBody();
  const all = [...before.layers, before.readout];
  all.forEach((layer, k) => {
    const next = k < before.layers.length ? after.layers[k] : after.readout;
    const direction = layer.W.map((row, i) => row.map((w, j) => (w - next.W[i][j]) / lr));
    const row = body.insertRow();
    for (const text of [k < before.layers.length ? String(k + 1) : t('inspector.readout'),
      matrixRows(layer.W), matrixRows(next.W), matrixRows(direction)]) {
      const td = row.insertCell();
      td.textContent = text;
      td.className = 'mono';
    }
  });
  box.append(table);
  line(box, t('single.directionNote'), 'hint');
  el.replaceChildren(box);
}
