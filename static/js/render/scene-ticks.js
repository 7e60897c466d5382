// The 3-D warp view's tick labels in presentation. plotly.js spaces a scene's ticks by the
// axis's length alone, and its labels (WebGL text at the page's type size) piled up: three z
// labels on a flat box's 85 px z axis, and the lowest of them on the x axis's first label where
// the two axes meet. Here each axis gets the most labels (steps of 1, 2 or 5 × 10^k) whose
// neighbours stay apart as the axis shows on screen (render/scenefit.js axesOnScreen), and
// the z axis none in its lowest fifth, the corner it shares with the floor's axes.

const STEPS = [1, 2, 5];
const MOST = 5;
const CHAR_EM = 0.64; // a digit's width in the scene's sans-serif, in ems (the minus is wider)
const LINE_EM = 1.15; // a label's height
const GAP_EM = 0.4; // and the room kept between two labels
const CORNER = 0.2;
const EDGES = 3; // of an axis's four edges, on how many its labels must keep apart (one is hidden) // the share of the z axis, from its floor, left without a label

/** A tick value as the scene writes it: up to 12 significant digits, a true minus sign. */
export const tickText = (value) => String(Number(value.toPrecision(12))).replace('-', '−');

/** Values k·step in [lo, hi]. */
function multiples(lo, hi, step) {
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => Number(((first + i) * step).toPrecision(12)));
}

/**
 * The tick values of one axis spanning [lo, hi], drawn on one of `edges` ({length (px), dx, dy
 * (its direction on screen)}), for labels of `px` px: the smallest nice step whose labels, at
 * most MOST of them, are their own extent along the edge plus a gap apart, on EDGES of them.
 */
export function axisTicks(lo, hi, edges, px) {
  const span = hi - lo;
  if (!(span > 0)) return [];
  const apart = (step, chars) => edges.filter(({ length, dx, dy }) =>
    (length * step) / span >= dx * CHAR_EM * chars * px + dy * LINE_EM * px + GAP_EM * px).length >= EDGES;
  for (let e = Math.floor(Math.log10(span / MOST)) - 1; e <= Math.ceil(Math.log10(span)) + 1; e++) {
    for (const m of STEPS) {
      const step = m * 10 ** e;
      const values = multiples(lo, hi, step);
      if (values.length > MOST) continue;
      if (apart(step, Math.max(1, ...values.map((v) => tickText(v).length)))) return values;
    }
  }
  return [];
}

/**
 * tickvals and ticktext for the scene's three axes: `window` {lo, hi} per axis, `axes` their
 * edges as axesOnScreen gives them, `px` the labels' size on screen.
 */
export function sceneTicks(window, axes, px) {
  return axes.map((axis, i) => {
    const [lo, hi] = [window.lo[i], window.hi[i]];
    let values = axisTicks(lo, hi, axis, px);
    if (i === 2) values = values.filter((v) => v >= lo + CORNER * (hi - lo));
    return { tickmode: 'array', tickvals: values, ticktext: values.map(tickText) };
  });
}
