// The filmstrip: the input and every layer's output side by side, small, each with its linear
// separability under it — the whole network's work at one glance. Each frame is a canvas (nine
// Plotly plots would cost a frame's budget per snapshot); a frame says what it shows in
// data-stage and the window it is drawn in (data-x0, data-x1, data-y0, data-y1), so its
// pixels can be checked against the snapshot's positions. Width-3 nets are drawn by (x, y).
// The traced point (trace=<index>) gets a ring in every frame, where that stage puts it.

import { num } from '../format.js';
import { CLASS_COLOURS, window2d } from './style.js';

const FRAME_PX = 150; // drawn size; CSS scales the canvas to its cell
const RING_PX = 6; // the traced point's ring, in drawn pixels

/** The stages the strip shows: input, then each layer's output (k.act, or k.res). */
export function filmstripStages(meta) {
  return meta.outputs;
}

function drawFrame(canvas, meta, positions, traced, colours) {
  const { dims } = meta;
  const range = window2d(positions, dims, 1);
  const scale = FRAME_PX / (range.x[1] - range.x[0]);
  const px = (x) => (x - range.x[0]) * scale;
  const py = (y) => FRAME_PX - (y - range.y[0]) * scale;
  canvas.width = FRAME_PX;
  canvas.height = FRAME_PX;
  Object.assign(canvas.dataset, { x0: range.x[0], x1: range.x[1], y0: range.y[0], y1: range.y[1] });
  const context = canvas.getContext('2d');
  context.fillStyle = colours.plot;
  context.fillRect(0, 0, FRAME_PX, FRAME_PX);
  context.strokeStyle = colours.grid;
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
  if (traced === null) return;
  const row = (meta.gridRows + traced) * dims;
  context.strokeStyle = colours.marks;
  context.lineWidth = 2;
  context.beginPath();
  context.arc(px(positions[row]), py(positions[row + 1]), RING_PX, 0, 2 * Math.PI);
  context.stroke();
}

/** One frame's button: the canvas, then the stage's name and its separability under it. */
function frameButton(name) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'frame';
  button.dataset.filmstripStage = name;
  const canvas = document.createElement('canvas');
  const title = document.createElement('span');
  title.className = 'frame-name';
  title.textContent = name;
  const caption = document.createElement('span');
  caption.className = 'frame-separability';
  // the figure alone, beside the name: what presentation shows (css/present.css), where the
  // strip's toggle says what the figure is and the whole caption would not fit a frame's width
  const percent = document.createElement('span');
  percent.className = 'frame-percent';
  // the spaces: its visible text reads "1.act 93% separable" (or "1.act 93%")
  button.append(canvas, title, ' ', caption, percent);
  return button;
}

/** What the frames were last drawn from, per strip: a stage change alone redraws no canvas. */
const drawnFrom = new WeakMap();

/**
 * data: {snapshot, current (the stage the warp view shows), traced (a point's index, or null),
 * look (style.js plotLook)}.
 * One button per frame; the caller listens for clicks on [data-filmstrip-stage] to show that
 * stage in the warp view. The frames' last redraw cost is left in data-draw-ms (bench/page.py).
 */
export function renderFilmstrip(el, { snapshot, current, traced = null, look }) {
  const { t } = look;
  const { meta } = snapshot;
  const names = filmstripStages(meta);
  if (el.childElementCount !== names.length || el.dataset.stages !== names.join(',')) {
    el.replaceChildren(...names.map(frameButton));
    el.dataset.stages = names.join(',');
    // frames per row in presentation (css/present.css): one row of up to 9 across the screen, else two
    el.style.setProperty('--row-wide', String(names.length <= 9 ? names.length : Math.ceil(names.length / 2)));
    drawnFrom.delete(el);
  }
  const point = Number.isInteger(traced) && traced >= 0 && traced < meta.labels.length ? traced : null;
  const { plot, grid, marks, lang } = look;
  const colours = { plot, grid, marks };
  const key = [point, plot, grid, marks, lang].join(' '); // a new theme or language redraws too
  const last = drawnFrom.get(el);
  const redraw = !last || last.snapshot !== snapshot || last.key !== key;
  const started = performance.now();
  names.forEach((name, k) => {
    const button = el.children[k];
    if (redraw) {
      const canvas = button.querySelector('canvas');
      drawFrame(canvas, meta, snapshot.stage(name), point, colours);
      canvas.dataset.stage = name;
      const value = num(100 * snapshot.separability[k], 0);
      const caption = t('filmstrip.caption', { value });
      button.querySelector('.frame-separability').textContent = caption;
      button.querySelector('.frame-percent').textContent = `${value}%`;
      // the name starts with the words on the frame, so a voice command naming them reaches it
      button.setAttribute('aria-label', `${name} ${caption}, ${t('filmstrip.show')}`);
    }
    button.setAttribute('aria-pressed', String(name === current));
  });
  if (redraw) {
    drawnFrom.set(el, { snapshot, key });
    el.dataset.drawMs = (performance.now() - started).toFixed(2);
    el.dataset.step = String(snapshot.step);
    if (point === null) delete el.dataset.traced;
    else el.dataset.traced = String(point);
  }
}
