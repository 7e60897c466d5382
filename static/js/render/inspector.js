// Layer inspector: per layer W, b, det W (flagged when the plane collapses) and gradient norms.

import { appendText, matrixRows, num, sig } from '../format.js';
import { playgroundUrl } from '../playground/link.js';
import { patchChildren } from './patch.js';
import { deadUnits, unitCanvas, unitFields } from './unitmaps.js';

const cell = (row, text, className) => appendText(row, 'td', text, className);

/**
 * data: {snapshot (its layers, readout, meta, and stage() for the unit maps), look (style.js
 * plotLook: its t and lang)}.
 */
export function renderInspector(el, { snapshot, look }) {
  const { t, lang } = look;
  const { layers, readout, meta } = snapshot;
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
    const number = cell(row, String(k + 1));
    const href = meta && playgroundUrl(layer, meta.config.activation, lang);
    if (href) { // a 2×2 layer: open it under the student's hands
      const link = appendText(number, 'a', t('pg.open'), 'open-layer');
      Object.assign(link, { href, target: '_blank', rel: 'noopener', title: t('pg.openTitle', { k: k + 1 }) });
      link.setAttribute('aria-label', t('pg.openLabel', { k: k + 1 })); // starts with the visible words
      link.dataset.openLayer = String(k + 1);
    }
    cell(row, matrixRows(layer.W, 2), 'mono');
    cell(row, layer.b.map((v) => num(v, 2)).join('\n'), 'mono');
    const det = cell(row, sig(layer.det, 2), 'mono');
    if (layer.collapsed) {
      det.classList.add('collapsed');
      det.title = t('inspector.collapsed');
      det.textContent += ' ⚠';
    }
    cell(row, sig(layer.grad_norm_W, 2), 'mono');
  });
  const row = body.insertRow();
  cell(row, t('inspector.readout'));
  cell(row, matrixRows(readout.W, 2), 'mono');
  cell(row, readout.b.map((v) => num(v, 2)).join('\n'), 'mono');
  cell(row, '');
  cell(row, sig(readout.grad_norm_W, 2), 'mono');
  const notes = document.createElement('div'); // always there: the maps after it keep their place
  notes.dataset.inspectorNotes = '';
  if (layers.some((layer) => layer.collapsed)) {
    appendText(notes, 'p', t('inspector.collapsedNote', { det: t('inspector.det'), collapsed: t('inspector.collapsed') }),
      'hint collapsed');
  }
  // in place: a focused or hovered unit map stays the same element from one step to the next
  patchChildren(el, [table, notes, ...(meta && layers.length ? [unitMaps(snapshot, t)] : [])]);
}

/** Each hidden unit's map over the input window, one row per layer; dead relu units marked. */
function unitMaps(snapshot, t) {
  const box = document.createElement('div');
  box.className = 'unit-maps';
  appendText(box, 'p', t('units.title'), 'hint');
  unitFields(snapshot).forEach((units, k) => {
    const dead = deadUnits(snapshot, k + 1);
    const row = document.createElement('div');
    row.className = 'unit-row';
    units.forEach((values, u) => {
      const figure = document.createElement('figure');
      figure.tabIndex = 0; // focus enlarges it, as hover does
      figure.dataset.unitMap = `${k + 1}.${u + 1}`;
      const label = `${k + 1}.${u + 1}`;
      figure.append(unitCanvas(values));
      const caption = appendText(figure, 'figcaption', label);
      if (dead.has(u)) {
        figure.dataset.dead = 'true';
        caption.textContent = `${label} ${t('units.dead')}`;
      }
      figure.setAttribute('aria-label', t('units.label', { unit: label }) + (dead.has(u) ? `, ${t('units.dead')}` : ''));
      row.append(figure);
    });
    box.append(row);
  });
  return box;
}
