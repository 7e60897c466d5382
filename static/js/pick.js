// Click or tap a data point to trace it. The warp and input views' point traces carry each
// point's index (training first, then test) as customdata; a click on one hands that index on.

/**
 * Call `pick(index)` when a point of the plot `el` is clicked or tapped. Safe to call after
 * every draw: the listener is replaced, not added twice (Plotly.purge drops it with the rest).
 */
export function onPointClick(el, pick) {
  if (typeof el.on !== 'function') return;
  if (el.pickListener) el.removeListener('plotly_click', el.pickListener);
  el.pickListener = (event) => {
    const point = (event?.points || []).find((p) => Number.isInteger(p.customdata));
    if (point) pick(point.customdata);
  };
  el.on('plotly_click', el.pickListener);
}
