// Plots follow their boxes. Plotly's own `responsive` option only listens to the window, but a
// plot's box also changes when a lesson opens, steps or closes, when presentation mode toggles
// and when a card appears: a ResizeObserver sees every one of those and redraws that plot.

/**
 * Call `redraw(el)` (at most once per animation frame per plot) whenever a plot element under
 * `root` changes size; a plot drawn at its old size would leave part of its card empty or
 * spill its legend over the words below it.
 */
export function followPlotSizes(root, redraw) {
  const sizes = new WeakMap();
  const pending = new Set();
  let frame = 0;
  const flush = () => {
    frame = 0;
    const due = [...pending];
    pending.clear();
    for (const el of due) redraw(el);
  };
  const observer = new ResizeObserver((entries) => {
    for (const { target, contentRect } of entries) {
      const size = `${Math.round(contentRect.width)}×${Math.round(contentRect.height)}`;
      if (sizes.get(target) === size) continue;
      sizes.set(target, size); // hidden (0 × 0) too: shown again at its old size, it still needs a fit
      if (contentRect.width && contentRect.height) pending.add(target);
    }
    if (pending.size && !frame) frame = requestAnimationFrame(flush);
  });
  for (const el of root.querySelectorAll('.plot[data-view]')) observer.observe(el);
  return observer;
}

/**
 * The one way a plot is fitted to its box again (the page, the embed, printing): Plotly resizes
 * it, the warp view redraws its squared window at the new size. A tween owns the warp plot, so
 * its fit waits for the tween's end instead of being dropped (a dropped fit left the plot drawn
 * at its old height, its x axis and legend under the embed's filmstrip).
 */
export function plotFitter(warp, plotlyReady) {
  const refit = (el, tries = 3) => {
    if (el === warp.el && warp.animating) setTimeout(() => refit(el, tries), 100);
    else if (!plotlyReady() || !el.layout) {
      if (el === warp.el) warp.draw(); // the sketch, at the new size
    } else {
      Plotly.Plots.resize(el).then(() => {
        if (el === warp.el) warp.draw(); // its window is squared to the plot area as resized
        // a redraw that raced the resize can leave the old size: measure, and fit again if so
        const { width, height } = el._fullLayout;
        const off = Math.abs(width - el.clientWidth) > 2 || Math.abs(height - el.clientHeight) > 2;
        if (off && tries > 1 && el.clientWidth) setTimeout(() => refit(el, tries - 1), 200);
      }, () => {}); // hidden again meanwhile: its next size change fits it
    }
  };
  /** The same fit without Plotly's 100 ms wait: for printing, when no timer runs before the paper is laid out. */
  refit.now = (el) => {
    if (!plotlyReady() || !el.layout) return;
    delete el.layout.width;
    delete el.layout.height;
    Plotly.relayout(el, { autosize: true }).then(() => {
      if (el === warp.el && !warp.animating) warp.draw();
    }, () => {});
    if (el === warp.el && !warp.animating) warp.draw();
  };
  return refit;
}
