// The warp view drawn on a plain canvas, for the second or so before plotly.js has run: the same
// window, grid, markers and boundaries as renderWarp, without axes, legend or tweens. It exists so
// the first snapshot is on screen without waiting for 4.8 MB of script to compile.

import { CLASS_COLOURS, gridColumns, marker, plotMargins, pointGroups, window2d } from './style.js';
import { LEGEND_BESIDE_EMS, MARGIN, boundaryXY, legendBeside, plotAspect } from './warp.js';

// room Plotly's horizontal legend takes under the plot (measured: one row; in presentation two
// rows of its type); beside the plot it takes LEGEND_BESIDE_EMS
const LEGEND_PX = 40;
const LEGEND_PRESENT_ROWS = 3.5;

/** The canvas inside `el` that the sketch draws on, made on first use. */
function canvasIn(el) {
  let canvas = el.querySelector(':scope > canvas[data-sketch]');
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.dataset.sketch = '';
    canvas.setAttribute('aria-hidden', 'true');
    el.append(canvas);
  }
  return canvas;
}

function tracePolylines(ctx, xs, ys, toPixel) {
  ctx.beginPath();
  let open = false;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === null) {
      open = false;
      continue;
    }
    const [px, py] = toPixel(xs[i], ys[i]);
    if (open) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    open = true;
  }
  ctx.stroke();
}

function markerPath(ctx, symbol, x, y, r) {
  ctx.beginPath();
  if (symbol.startsWith('square')) ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
  else if (symbol.startsWith('diamond')) {
    ctx.moveTo(x, y - r * 1.1);
    ctx.lineTo(x + r * 1.1, y);
    ctx.lineTo(x, y + r * 1.1);
    ctx.lineTo(x - r * 1.1, y);
    ctx.closePath();
  } else ctx.arc(x, y, r, 0, 2 * Math.PI);
}

/** Draw `positions` (rows × 2) in `el`'s box, where renderWarp would draw them. */
export function sketchWarp(el, { meta, positions, boundaries = null, legend = true, look }) {
  const canvas = canvasIn(el);
  const width = el.clientWidth || 600;
  const height = el.clientHeight || 500;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);

  const { plot, grid, boundary, presentPx } = look;
  // the window as renderWarp chooses it (from the box without the legend) …
  const range = window2d(positions, 2, plotAspect(el, look));
  // … drawn where Plotly will draw it, above its legend
  const m = { ...plotMargins(look, MARGIN) };
  if (legend && legendBeside(el, look)) m.r += LEGEND_BESIDE_EMS * presentPx;
  else if (legend) m.b += presentPx ? LEGEND_PRESENT_ROWS * presentPx : LEGEND_PX;
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const sx = w / (range.x[1] - range.x[0]);
  const sy = h / (range.y[1] - range.y[0]);
  const toPixel = (x, y) => [m.l + (x - range.x[0]) * sx, m.t + (range.y[1] - y) * sy];

  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = plot;
  ctx.fillRect(m.l, m.t, w, h);
  ctx.save();
  ctx.beginPath();
  ctx.rect(m.l, m.t, w, h);
  ctx.clip();

  ctx.strokeStyle = grid;
  ctx.lineWidth = 1;
  const [gx, gy] = gridColumns(meta, positions, 2);
  tracePolylines(ctx, gx, gy, toPixel);

  for (const group of pointGroups(meta)) {
    const style = marker(look, group.c, group.part);
    const r = style.size / 2;
    ctx.lineWidth = style.line.width;
    ctx.strokeStyle = style.line.color;
    ctx.fillStyle = CLASS_COLOURS[group.c];
    const open = style.symbol.endsWith('-open');
    for (const row of group.rows) {
      const [px, py] = toPixel(positions[row * 2], positions[row * 2 + 1]);
      markerPath(ctx, style.symbol, px, py, r);
      if (!open) ctx.fill();
      ctx.stroke();
    }
  }

  if (boundaries) {
    ctx.strokeStyle = boundary;
    ctx.lineWidth = 2.5;
    ctx.setLineDash([9, 6]);
    const { x, y } = boundaryXY(boundaries);
    tracePolylines(ctx, x, y, toPixel);
    ctx.setLineDash([]);
  }
  ctx.restore();
  // the window in the plane, for whoever needs to find a point on the canvas (the tests do)
  canvas.dataset.window = JSON.stringify({ ...range, margin: m, width, height });
}

/** Take the sketch away once the real plot is drawn. */
export function clearSketch(el) {
  el.querySelector(':scope > canvas[data-sketch]')?.remove();
}
