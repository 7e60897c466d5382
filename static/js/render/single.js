// One gradient step: each W before, its exact gradient ∂E/∂W (the snapshot's grad_W on the whole
// training set), W after, the loss change, and w ← w − α·∂E/∂w worked with real numbers.

import { appendText, matrixRows, matrixRowsSig, num, plain, sig } from '../format.js';

const line = (parent, text, className) => appendText(parent, 'p', text, className);

/** The weight with the largest gradient: the example that shows the step best. */
function largest(gradient) {
  let best = [0, 0];
  gradient.forEach((row, i) => row.forEach((g, j) => {
    if (Math.abs(g) > Math.abs(gradient[best[0]][best[1]])) best = [i, j];
  }));
  return best;
}

/**
 * data: {before, after, lr, optimizer, batchSize, look} — two decoded snapshots one step apart,
 * and style.js plotLook (its t).
 */
export function renderSingle(el, { before, after, lr, optimizer = 'sgd', batchSize = 0, look }) {
  const { t } = look;
  const box = document.createElement('div');
  line(box, t('single.rule', { lr: plain(lr) }), 'mono rule');
  const change = after.metrics.loss_train - before.metrics.loss_train;
  line(box, t('single.loss', { before: num(before.metrics.loss_train, 5),
    after: num(after.metrics.loss_train, 5), change: (change > 0 ? '+' : '') + num(change, 5) }));
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const key of ['inspector.layer', 'single.before', 'single.gradient', 'single.after']) {
    const th = document.createElement('th');
    th.textContent = t(key);
    head.append(th);
  }
  const body = table.createTBody();
  const all = [...before.layers, before.readout];
  all.forEach((layer, k) => {
    const next = k < before.layers.length ? after.layers[k] : after.readout;
    const row = body.insertRow();
    row.dataset.layer = k < before.layers.length ? String(k + 1) : 'readout';
    const cells = [[k < before.layers.length ? String(k + 1) : t('inspector.readout')],
      [matrixRows(layer.W), 'single.before'],
      [matrixRowsSig(layer.grad_W, 3), 'single.gradient'],
      [matrixRows(next.W), 'single.after']];
    for (const [text, heading] of cells) {
      const td = row.insertCell();
      td.textContent = text;
      td.className = 'mono';
      if (heading) td.dataset.label = t(heading); // its column's name, shown above it when stacked
    }
  });
  box.append(table);
  const first = before.layers[0] ?? before.readout;
  const firstAfter = after.layers[0] ?? after.readout;
  const [i, j] = largest(first.grad_W);
  const which = `${before.layers.length ? 'W₁' : 'W'}[${i + 1},${j + 1}]`;
  const w = first.W[i][j];
  const grad = first.grad_W[i][j];
  line(box, t('single.example', { which, w: num(w, 6), lr: plain(lr), grad: sig(grad, 4),
    result: num(w - lr * grad, 6), after: num(firstAfter.W[i][j], 6) }), 'example').dataset.example = '';
  if (optimizer !== 'sgd') line(box, t('single.optimizerNote', { optimizer: t(`choice.optimizer.${optimizer}`) }), 'hint');
  else if (batchSize) line(box, t('single.batchNote'), 'hint');
  el.replaceChildren(box);
}
