// Click or tap a data point to trace it. The warp and input views' point traces carry each
// point's index (training first, then test) as customdata; a click on one hands that index on.
//
// Plotly's own pick is not the point under the pointer: every marker that covers the pointer
// scores the same distance, and the earliest trace wins (a test point of class 0 over the
// training point of class 1 clicked dead centre). So a 2-D click picks again, by pixels: the
// point whose centre is nearest the pointer.

/** [x, y] of the pointer in the plot's paper pixels (its div's top left), or null. */
function pointerIn(el, event) {
  const mouse = event?.event;
  if (!mouse || !Number.isFinite(mouse.clientX)) return null;
  const box = el.getBoundingClientRect();
  return [mouse.clientX - box.left, mouse.clientY - box.top];
}

/** The index (customdata) of the drawn 2-D point nearest `at` (paper pixels), or null. */
export function nearestPoint(el, at) {
  const layout = el._fullLayout;
  const xa = layout?.xaxis;
  const ya = layout?.yaxis;
  if (!xa || !ya || !at) return null;
  let best = null;
  let bestDistance = Infinity;
  (el._fullData || []).forEach((trace, i) => {
    const input = el.data[i];
    if (trace.visible !== true || trace.type !== 'scatter' || !Array.isArray(input?.customdata)) return;
    const { x, y, customdata } = input;
    for (let j = 0; j < customdata.length; j++) {
      const dx = xa._offset + xa.c2p(x[j]) - at[0];
      const dy = ya._offset + ya.c2p(y[j]) - at[1];
      const distance = dx * dx + dy * dy;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = customdata[j];
      }
    }
  });
  return Number.isInteger(best) ? best : null;
}

/**
 * Call `pick(index)` when a point of the plot `el` is clicked or tapped. Safe to call after
 * every draw: the listener is replaced, not added twice (Plotly.purge drops it with the rest).
 */
export function onPointClick(el, pick) {
  if (typeof el.on !== 'function') return;
  if (el.pickListener) el.removeListener('plotly_click', el.pickListener);
  el.pickListener = (event) => {
    const point = (event?.points || []).find((p) => Number.isInteger(p.customdata));
    if (!point) return;
    const flat = point.xaxis && point.yaxis && point.data?.type === 'scatter';
    const nearest = flat ? nearestPoint(el, pointerIn(el, event)) : null;
    pick(nearest ?? point.customdata);
  };
  el.on('plotly_click', el.pickListener);
}
