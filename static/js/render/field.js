// Input space: each cell of the probability field coloured by the classes' colours weighted by
// their probabilities (white where the net is unsure), the decision boundary, and the data.

import { CONSTANTS } from '../constants.js';
import { boundarySegments } from '../maths.js';
import { regionsTrace } from './regions.js';
import { pointIndices, tracedTraces } from './warp.js';
import { CLASS_COLOURS, PLOT_CONFIG, column, font, plotMargins, marker, pointGroups } from './style.js';

const RGB = CLASS_COLOURS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

const DRAFT_EXTENT = CONSTANTS.dataExtent; // the data window while no field has arrived
const UPSAMPLE = 3; // bilinear in-between cells, so the colours read as a field, not blocks

/** Class probabilities at fractional lattice coordinates (fx, fy), bilinearly. */
function probabilities(field, fx, fy, out) {
  const { size, classes, p } = field;
  const x0 = Math.min(Math.floor(fx), size - 2);
  const y0 = Math.min(Math.floor(fy), size - 2);
  const u = fx - x0;
  const v = fy - y0;
  for (let c = 0; c < classes; c++) {
    const at = (x, y) => p[(y * size + x) * classes + c];
    out[c] = (1 - v) * ((1 - u) * at(x0, y0) + u * at(x0 + 1, y0)) + v * ((1 - u) * at(x0, y0 + 1) + u * at(x0 + 1, y0 + 1));
  }
  return out;
}

const canvas = document.createElement('canvas');

/** The field as a PNG data URL drawn on a canvas: far cheaper than Plotly's own pixel loop. */
function image(field, look) {
  const { size, classes } = field;
  const fine = (size - 1) * UPSAMPLE + 1;
  canvas.width = fine;
  canvas.height = fine;
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(fine, fine);
  const cell = new Float64Array(classes);
  const base = look.fieldBase; // the colour of an unsure cell: the plot's background
  for (let y = 0; y < fine; y++) {
    for (let x = 0; x < fine; x++) {
      const p = probabilities(field, x / UPSAMPLE, y / UPSAMPLE, cell);
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[c] > p[best]) best = c;
      // confidence 1/K … 1 mapped to 0 … 0.55 of the winning colour over white
      const strength = 0.55 * (p[best] - 1 / classes) / (1 - 1 / classes);
      const at = (y * fine + x) * 4; // canvas row i is drawn at y0 + i·dy
      for (let k = 0; k < 3; k++) pixels.data[at + k] = Math.round(base[k] + (RGB[best][k] - base[k]) * strength);
      pixels.data[at + 3] = 255;
    }
  }
  context.putImageData(pixels, 0, 0);
  return canvas.toDataURL();
}

/** For each class c, p_c − max over the others: its zero line bounds c's region. */
function margins(field, c) {
  const { size, classes, p } = field;
  const z = [];
  for (let y = 0; y < size; y++) {
    const row = [];
    for (let x = 0; x < size; x++) {
      const cell = (y * size + x) * classes;
      let other = -Infinity;
      for (let k = 0; k < classes; k++) if (k !== c) other = Math.max(other, p[cell + k]);
      row.push(p[cell + c] - other);
    }
    z.push(row);
  }
  return z;
}

/** The points being edited (your own data), one filled trace per class. */
function draftTraces(draft, look) {
  return [0, 1, 2].map((c) => {
    const mine = draft.filter((p) => p.label === c);
    return { type: 'scatter', mode: 'markers', hoverinfo: 'skip', showlegend: false, name: `draft-${c}`,
      x: mine.map((p) => p.x), y: mine.map((p) => p.y), marker: marker(look, c, 'train', 8) };
  });
}

const FAINT = { size: 3, opacity: 0.45 }; // points that leave the shading under them readable

/**
 * data: {meta, field (decoded; null before the first snapshot), draft, linear}. `draft`, the
 * points of your own data while you edit them ([{x, y, label}] or null), replaces the run's
 * points, and the plot stops zooming on drag so that a click can add or remove a point.
 * `linear` ({W, b} of logits = W·x + b, see linear.js) is given when the net is affine.
 * `traced`, the traced point's input position, gets a ring. `faint` draws the points small and
 * pale (a lesson about the shading under them). `look`: style.js plotLook.
 */
export function renderField(el, { meta, field, draft = null, linear = null, regions = null, traced = null, faint = false, look }) {
  const { t } = look;
  const extent = field ? field.extent : DRAFT_EXTENT;
  const size = field ? field.size : 2;
  const step = (2 * extent) / (size - 1);
  const ticks = Array.from({ length: size }, (_, i) => -extent + i * step);
  const fine = step / UPSAMPLE;
  const traces = field ? [{ type: 'image', source: image(field, look), x0: -extent, dx: fine, y0: -extent, dy: fine,
    hoverinfo: 'skip' }] : [];
  // `regions` (decoded, render/regions.js), when asked for, colour the pieces instead of p
  if (field && regions) traces[0] = regionsTrace(regions, look.dark);
  if (field && linear) {
    // an affine net's boundary is a straight line: drawn exactly, not traced through the lattice
    traces.push({ ...boundarySegments(linear, extent), type: 'scatter', mode: 'lines', hoverinfo: 'skip',
      showlegend: false, line: { color: look.marks, width: 2 }, name: t('boundary') });
  }
  const boundaryClasses = !field || linear ? [] : field.classes === 2 ? [0] : [...Array(field.classes).keys()];
  for (const c of boundaryClasses) {
    traces.push({ type: 'contour', x: ticks, y: ticks, z: margins(field, c), showscale: false,
      hoverinfo: 'skip', contours: { coloring: 'lines', start: 0, end: 0, size: 1 },
      colorscale: [[0, look.marks], [1, look.marks]], line: { width: 2, smoothing: 1 }, name: t('boundary') });
  }
  if (draft) traces.push(...draftTraces(draft, look));
  for (const group of draft ? [] : pointGroups(meta)) {
    const rows = group.rows;
    // hoverinfo 'none' with the point's index: no tooltip, but a click traces the point
    traces.push({ type: 'scatter', mode: 'markers', hoverinfo: 'none', showlegend: false,
      x: column(meta.input, 2, rows, 0), y: column(meta.input, 2, rows, 1),
      customdata: pointIndices(meta, rows), opacity: faint ? FAINT.opacity : 1,
      marker: marker(look, group.c, group.part, faint ? FAINT.size : 5) });
  }
  // the traced point's ring, on top (`traced`: its input position [x, y], or null)
  if (!draft) traces.push(tracedTraces(traced ? { path: [traced] } : null, look)[1]);
  const range = [-extent - step / (2 * UPSAMPLE), extent + step / (2 * UPSAMPLE)];
  return Plotly.react(el, traces, {
    margin: plotMargins(look, { l: 30, r: 6, t: 6, b: 24 }), font: font(look), uirevision: `field-${extent}`,
    xaxis: { range, showgrid: false, zeroline: false, constrain: 'domain' },
    yaxis: { range, showgrid: false, zeroline: false, scaleanchor: 'x', autorange: false },
    paper_bgcolor: 'rgba(0,0,0,0)', dragmode: draft ? false : 'zoom', hovermode: draft ? false : 'closest',
  }, PLOT_CONFIG);
}
