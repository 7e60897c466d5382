// The playground's plane as SVG: grid lines, sample points, and the three handles (the images
// of e₁, e₂ and the origin). renderPlane is a pure function of (svg, data): it builds the
// elements once and afterwards only moves them, so a drag redraws in well under a frame.
// The svg records its data → pixel map (data-cx, data-cy, data-unit) for whoever reads it.

import { CLASS_COLOURS } from '../render/style.js';

const SVG = 'http://www.w3.org/2000/svg';
export const HANDLES = ['e1', 'e2', 'origin'];
export const HANDLE_COLOURS = { e1: '#D55E00', e2: '#009E73', origin: '#CC79A7' };

function make(parent, tag, attributes = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  parent.append(el);
  return el;
}

/** The elements, made on the first call: layers in drawing order, keyed by role. */
function parts(svg, { lines, pointClasses }) {
  if (svg.__parts && svg.__parts.gridLines.length === lines && svg.__parts.points.length === pointClasses.length) {
    return svg.__parts;
  }
  svg.replaceChildren();
  const axes = make(svg, 'g', { class: 'axes' });
  const axisX = make(axes, 'line', { class: 'axis' });
  const axisY = make(axes, 'line', { class: 'axis' });
  const gridGroup = make(svg, 'g', { class: 'grid', 'data-grid': '' });
  const gridLines = Array.from({ length: lines }, () => make(gridGroup, 'polyline', { class: 'grid-line' }));
  const pointGroup = make(svg, 'g', { class: 'points' });
  const points = pointClasses.map((c) => make(pointGroup, 'circle', { r: 3.2, fill: CLASS_COLOURS[c], 'data-class': String(c) }));
  const arrowGroup = make(svg, 'g', { class: 'arrows' });
  const arrows = {
    e1: make(arrowGroup, 'line', { stroke: HANDLE_COLOURS.e1, class: 'arrow' }),
    e2: make(arrowGroup, 'line', { stroke: HANDLE_COLOURS.e2, class: 'arrow' }),
  };
  const handleGroup = make(svg, 'g', { class: 'handles' });
  const handles = {};
  for (const name of HANDLES) {
    const g = make(handleGroup, 'g', { class: 'handle', tabindex: '0', role: 'button', 'data-handle': name });
    make(g, 'circle', { r: 22, class: 'hit' }); // a finger-sized target around the mark
    if (name === 'origin') make(g, 'rect', { x: -7, y: -7, width: 14, height: 14, fill: HANDLE_COLOURS[name], class: 'mark' });
    else make(g, 'circle', { r: 8, fill: HANDLE_COLOURS[name], class: 'mark' });
    const label = make(g, 'text', { x: 12, y: -12, class: 'handle-label' });
    label.textContent = name === 'origin' ? 'b' : `W·e${name === 'e1' ? '₁' : '₂'}`;
    handles[name] = g;
  }
  const badge = make(svg, 'text', { class: 'badge', x: 12, y: 28, 'data-badge': '' });
  svg.__parts = { axisX, axisY, gridLines, points, arrows, handles, badge };
  return svg.__parts;
}

/**
 * data: {grid (flat x, y; `lines` lines of `samples` vertices), lines, samples, points (flat),
 * pointClasses, handles {e1, e2, origin: [x, y]}, extent (data units from the centre to the
 * nearer edge), selected, badge (text in a corner, e.g. "mirror")}.
 */
export function renderPlane(svg, data) {
  const width = svg.clientWidth || 600;
  const height = svg.clientHeight || 600;
  const unit = Math.min(width, height) / 2 / data.extent;
  const cx = width / 2;
  const cy = height / 2;
  const px = (x) => (cx + x * unit).toFixed(2);
  const py = (y) => (cy - y * unit).toFixed(2);
  const p = parts(svg, data);
  const frame = `0 0 ${width} ${height}`;
  if (svg.getAttribute('viewBox') !== frame || svg.dataset.unit !== String(unit) || !p.axisX.hasAttribute('x2')) {
    // the frame and axes change with the window or the zoom, not with a drag
    svg.setAttribute('viewBox', frame);
    Object.assign(svg.dataset, { cx: String(cx), cy: String(cy), unit: String(unit) });
    p.axisX.setAttribute('x1', '0');
    p.axisX.setAttribute('x2', String(width));
    p.axisX.setAttribute('y1', py(0));
    p.axisX.setAttribute('y2', py(0));
    p.axisY.setAttribute('y1', '0');
    p.axisY.setAttribute('y2', String(height));
    p.axisY.setAttribute('x1', px(0));
    p.axisY.setAttribute('x2', px(0));
  }
  const { grid, samples } = data;
  p.gridLines.forEach((line, l) => {
    const parts_ = new Array(samples);
    for (let s = 0; s < samples; s++) {
      const i = (l * samples + s) * 2;
      parts_[s] = `${px(grid[i])},${py(grid[i + 1])}`;
    }
    line.setAttribute('points', parts_.join(' '));
  });
  p.points.forEach((circle, i) => {
    circle.setAttribute('cx', px(data.points[2 * i]));
    circle.setAttribute('cy', py(data.points[2 * i + 1]));
  });
  const [ox, oy] = data.handles.origin;
  for (const name of ['e1', 'e2']) {
    const [x, y] = data.handles[name];
    const arrow = p.arrows[name];
    arrow.setAttribute('x1', px(ox));
    arrow.setAttribute('y1', py(oy));
    arrow.setAttribute('x2', px(x));
    arrow.setAttribute('y2', py(y));
  }
  for (const name of HANDLES) {
    const [x, y] = data.handles[name];
    const g = p.handles[name];
    g.setAttribute('transform', `translate(${px(x)} ${py(y)})`);
    g.classList.toggle('selected', data.selected === name);
    if (data.labels?.[name] && g.getAttribute('aria-label') !== data.labels[name]) g.setAttribute('aria-label', data.labels[name]);
  }
  if (p.badge.textContent !== (data.badge ?? '')) p.badge.textContent = data.badge ?? '';
}

/** A pointer's client position → data coordinates, by the map the last render used (and the
 * svg's current box, in case it was resized since: the viewBox then scales). */
export function toData(svg, clientX, clientY) {
  const box = svg.getBoundingClientRect();
  const { cx, cy, unit } = svg.dataset;
  const view = svg.viewBox.baseVal;
  const scale = view && view.width ? view.width / box.width : 1;
  const x = (clientX - box.left) * scale;
  const y = (clientY - box.top) * scale;
  return [(x - Number(cx)) / Number(unit), (Number(cy) - y) / Number(unit)];
}
