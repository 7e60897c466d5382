// Layer inspector: per layer W, b, det W (flagged when the plane collapses) and gradient norms.

import { t } from '../i18n.js';
import { matrix, num, vector } from '../format.js';

function cell(row, text, className = '') {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

/** data: {layers, readout}. Built with textContent only. */
export function renderInspector(el, { layers, readout }) {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const key of ['inspector.layer', null, null, 'inspector.det', 'inspector.grad']) {
    const th = document.createElement('th');
    th.textContent = key ? t(key) : (head.cells.length === 1 ? 'W' : 'b');
    head.append(th);
  }
  const body = table.createTBody();
  layers.forEach((layer, k) => {
    const row = body.insertRow();
    row.dataset.layer = String(k + 1);
    cell(row, String(k + 1));
    cell(row, matrix(layer.W), 'mono');
    cell(row, vector(layer.b), 'mono');
    const det = cell(row, num(layer.det), 'mono');
    if (layer.collapsed) {
      det.classList.add('collapsed');
      det.title = t('inspector.collapsed');
      det.textContent += ` ⚠ ${t('inspector.collapsed')}`;
    }
    cell(row, num(layer.grad_norm_W), 'mono');
  });
  const row = body.insertRow();
  cell(row, t('inspector.readout'));
  cell(row, matrix(readout.W), 'mono');
  cell(row, vector(readout.b), 'mono');
  cell(row, '');
  cell(row, num(readout.grad_norm_W), 'mono');
  el.replaceChildren(table);
}
