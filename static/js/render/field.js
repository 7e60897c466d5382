// Input space: each cell of the probability field coloured by the classes' colours weighted by
// their probabilities (white where the net is unsure), the decision boundary, and the data.

import { t } from '../i18n.js';
import { CLASS_COLOURS, FONT, PLOT_CONFIG, column, marker, pointGroups } from './style.js';

const RGB = CLASS_COLOURS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

function image(field) {
  const { size, classes, p } = field;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [];
    for (let x = 0; x < size; x++) {
      const cell = (y * size + x) * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[cell + c] > p[cell + best]) best = c;
      // confidence 1/K … 1 mapped to 0 … 0.55 of the winning colour over white
      const strength = 0.55 * (p[cell + best] - 1 / classes) / (1 - 1 / classes);
      row.push(RGB[best].map((v) => Math.round(255 + (v - 255) * strength)));
    }
    rows.push(row);
  }
  return rows;
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

/** data: {meta, field (decoded), showPoints}. */
export function renderField(el, { meta, field }) {
  const { extent, size } = field;
  const step = (2 * extent) / (size - 1);
  const ticks = Array.from({ length: size }, (_, i) => -extent + i * step);
  const traces = [{ type: 'image', z: image(field), x0: -extent, dx: step, y0: -extent, dy: step,
    hoverinfo: 'skip' }];
  const boundaryClasses = field.classes === 2 ? [0] : [...Array(field.classes).keys()];
  for (const c of boundaryClasses) {
    traces.push({ type: 'contour', x: ticks, y: ticks, z: margins(field, c), showscale: false,
      hoverinfo: 'skip', contours: { coloring: 'lines', start: 0, end: 0, size: 1 },
      colorscale: [[0, '#222'], [1, '#222']], line: { width: 2 }, name: t('boundary') });
  }
  for (const group of pointGroups(meta)) {
    const rows = group.rows;
    traces.push({ type: 'scatter', mode: 'markers', hoverinfo: 'skip', showlegend: false,
      x: column(meta.input, 2, rows, 0), y: column(meta.input, 2, rows, 1),
      marker: marker(group.c, group.part, 5) });
  }
  const range = [-extent - step / 2, extent + step / 2];
  return Plotly.react(el, traces, {
    margin: { l: 30, r: 6, t: 6, b: 24 }, font: FONT, uirevision: `field-${extent}`,
    xaxis: { range, showgrid: false, zeroline: false, constrain: 'domain' },
    yaxis: { range, showgrid: false, zeroline: false, scaleanchor: 'x', autorange: false },
    paper_bgcolor: 'rgba(0,0,0,0)',
  }, PLOT_CONFIG);
}
