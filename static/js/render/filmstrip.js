// The filmstrip: the input and every layer's output side by side, small, each with its linear
// separability under it — the whole network's work at one glance. Each frame is a canvas (nine
// Plotly plots would cost a frame's budget per snapshot); a frame says what it shows in
// data-stage and the window it is drawn in (data-x0, data-x1, data-y0, data-y1), so its
// pixels can be checked against the snapshot's positions. Width-3 nets are drawn by (x, y).

import { t } from '../i18n.js';
import { num } from '../format.js';
import { CLASS_COLOURS, look, window2d } from './style.js';

const FRAME_PX = 150; // drawn size; CSS scales the canvas to its cell

/** The stages the strip shows: input, then each layer's output (k.act, or k.res). */
export function filmstripStages(meta) {
  const residual = meta.config.residual;
  const names = ['input'];
  for (let k = 1; k <= meta.config.layers; k++) names.push(`${k}.${residual ? 'res' : 'act'}`);
  return names;
}

function drawFrame(canvas, meta, positions) {
  const { dims } = meta;
  const range = window2d(positions, dims, 1);
  const scale = FRAME_PX / (range.x[1] - range.x[0]);
  const px = (x) => (x - range.x[0]) * scale;
  const py = (y) => FRAME_PX - (y - range.y[0]) * scale;
  canvas.width = FRAME_PX;
  canvas.height = FRAME_PX;
  Object.assign(canvas.dataset, { x0: range.x[0], x1: range.x[1], y0: range.y[0], y1: range.y[1] });
  const context = canvas.getContext('2d');
  const { plot, grid } = look();
  context.fillStyle = plot;
  context.fillRect(0, 0, FRAME_PX, FRAME_PX);
  context.strokeStyle = grid;
  context.lineWidth = 1;
  const { samples } = meta.grid;
  context.beginPath();
  for (let line = 0; line < meta.gridRows / samples; line++) {
    for (let s = 0; s < samples; s++) {
      const row = (line * samples + s) * dims;
      if (s === 0) context.moveTo(px(positions[row]), py(positions[row + 1]));
      else context.lineTo(px(positions[row]), py(positions[row + 1]));
    }
  }
  context.stroke();
  for (let i = 0; i < meta.labels.length; i++) {
    const row = (meta.gridRows + i) * dims;
    context.fillStyle = CLASS_COLOURS[meta.labels[i]];
    context.fillRect(px(positions[row]) - 1.5, py(positions[row + 1]) - 1.5, 3, 3);
  }
}

/**
 * data: {snapshot, current (the stage the warp view shows)}. One button per frame; the caller
 * listens for clicks on [data-filmstrip-stage] to show that stage in the warp view.
 */
export function renderFilmstrip(el, { snapshot, current }) {
  const { meta } = snapshot;
  const names = filmstripStages(meta);
  if (el.childElementCount !== names.length || el.dataset.stages !== names.join(',')) {
    el.replaceChildren(...names.map((name) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'frame';
      button.dataset.filmstripStage = name;
      const canvas = document.createElement('canvas');
      const caption = document.createElement('span');
      button.append(canvas, caption);
      return button;
    }));
    el.dataset.stages = names.join(',');
  }
  names.forEach((name, k) => {
    const button = el.children[k];
    const canvas = button.querySelector('canvas');
    drawFrame(canvas, meta, snapshot.stage(name));
    canvas.dataset.stage = name;
    const separability = snapshot.separability[k];
    const caption = `${name} · ${num(100 * separability, 0)}%`;
    button.querySelector('span').textContent = caption;
    button.setAttribute('aria-label', `${name}: ${t('filmstrip.separability', { value: num(100 * separability, 0) })}`);
    button.setAttribute('aria-pressed', String(name === current));
  });
  el.dataset.step = String(snapshot.step);
}
