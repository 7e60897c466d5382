// The enlarged unit map: hovering or focusing a thumbnail shows it three times larger in a layer
// of its own on <body>, level with the thumbnail beside the inspector (so it covers none of the
// other thumbnails) and kept inside the window. Enlarged in place it was cut off by the
// inspector's scroll box (overflow clips whatever sticks out of it).

const SCALE = 3;
const MARGIN = 4; // px kept free at the window's edges

let zoom = null; // {box, canvas, figure, beside}: the one enlarged map, created on first use

function zoomBox() {
  if (zoom) return zoom;
  const box = document.createElement('div');
  box.className = 'unit-zoom';
  box.dataset.unitZoom = '';
  box.setAttribute('aria-hidden', 'true'); // the thumbnail under it carries the name
  box.hidden = true;
  const canvas = document.createElement('canvas');
  box.append(canvas);
  document.body.append(box);
  zoom = { box, canvas, figure: null, beside: null };
  box.addEventListener('pointerleave', (event) => {
    if (!zoom.figure?.contains(event.relatedTarget)) hide();
  });
  return zoom;
}

/** Copy the figure's thumbnail; place the enlarged one right of the inspector, else left of it. */
function place() {
  const { box, canvas, figure, beside } = zoom;
  const source = figure.querySelector('canvas');
  if (!source || !figure.isConnected) return hide();
  if (canvas.width !== source.width) canvas.width = source.width;
  if (canvas.height !== source.height) canvas.height = source.height;
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, 0, 0);
  const rect = source.getBoundingClientRect();
  const width = rect.width * SCALE;
  const height = rect.height * SCALE;
  Object.assign(canvas.style, { width: `${width}px`, height: `${height}px` });
  const room = document.documentElement.clientWidth;
  const tall = document.documentElement.clientHeight;
  const around = beside.getBoundingClientRect();
  let left = around.right + MARGIN;
  if (left + width > room - MARGIN) left = around.left - width - MARGIN;
  left = Math.max(MARGIN, Math.min(left, room - width - MARGIN));
  const top = Math.max(MARGIN, Math.min(rect.top, tall - height - MARGIN));
  Object.assign(box.style, { left: `${left}px`, top: `${top}px` });
  box.dataset.unit = figure.dataset.unitMap;
  box.hidden = false;
}

function show(figure, beside) {
  Object.assign(zoomBox(), { figure, beside });
  place();
}

function hide() {
  if (!zoom) return;
  zoom.box.hidden = true;
  zoom.figure = null;
}

/** After a redraw: the enlarged map shows the thumbnail's new pixels (or goes with it). */
export function redrawZoom() {
  if (zoom?.figure) place();
}

const wired = new WeakSet();

/** Enlarge the unit maps inside `el` on hover and on focus (Escape puts the enlarged one away). */
export function enlargeUnitMaps(el) {
  if (wired.has(el)) return;
  wired.add(el);
  const figureOf = (node) => (node instanceof Element ? node.closest('[data-unit-map]') : null);
  el.addEventListener('pointerover', (event) => {
    const figure = figureOf(event.target);
    if (figure && figure !== zoom?.figure) show(figure, el);
  });
  el.addEventListener('pointerout', (event) => {
    const figure = figureOf(event.target);
    if (!figure || figure.contains(event.relatedTarget) || zoom?.box.contains(event.relatedTarget)) return;
    const focused = figureOf(document.activeElement); // the keyboard's map comes back
    if (focused && el.contains(focused)) show(focused, el);
    else hide();
  });
  el.addEventListener('focusin', (event) => {
    const figure = figureOf(event.target);
    if (figure) show(figure, el);
  });
  el.addEventListener('focusout', (event) => {
    if (figureOf(event.target) && !figureOf(event.relatedTarget)) hide();
  });
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && zoom?.figure) {
      hide();
      event.preventDefault(); // the enlarged map, not the page, answers this Escape
    }
  });
  el.addEventListener('scroll', redrawZoom);
  window.addEventListener('scroll', redrawZoom, { passive: true });
  window.addEventListener('resize', redrawZoom);
}
