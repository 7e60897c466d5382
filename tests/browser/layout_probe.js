// What a person sees of the page's layout, measured in the browser for tests/browser/test_present.py:
// page scroll, the header's rows, plot boxes against what Plotly drew in them, every visible
// piece of text as the box it covers (HTML text and Plotly's SVG text alike) and its type size.
() => {
  const visible = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
    }
    return el.getClientRects().length > 0;
  };
  const box = (r) => ({ x: r.left, y: r.top, w: r.width, h: r.height });

  // what is left of `rect` inside every clipping ancestor (scrolled, hidden or visually hidden)
  const clipped = (el, rect) => {
    let { left, top, right, bottom } = rect;
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      const clips = style.overflow !== 'visible' || style.clipPath !== 'none';
      if (!clips) continue;
      const r = e.getBoundingClientRect();
      left = Math.max(left, r.left);
      top = Math.max(top, r.top);
      right = Math.min(right, r.right);
      bottom = Math.min(bottom, r.bottom);
      if (style.clipPath !== 'none' && (r.width <= 1 || r.height <= 1)) return null; // visually hidden
    }
    return right - left > 1 && bottom - top > 1 ? { x: left, y: top, w: right - left, h: bottom - top } : null;
  };

  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest('svg, script, style, select, option, dialog:not([open])')) continue;
    if (!visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      const seen = clipped(el, rect);
      if (seen) texts.push({ text: node.textContent.trim().slice(0, 40), where: el.tagName, ...seen, el, px: px(el) });
    }
  }
  for (const el of document.querySelectorAll('svg text')) {
    if (!el.textContent.trim() || !visible(el)) continue;
    const seen = clipped(el, el.getBoundingClientRect());
    const where = `${el.closest('[data-view]')?.dataset.view} ${el.closest('g[class]')?.getAttribute('class')}`;
    if (seen) texts.push({ text: el.textContent.trim().slice(0, 40), where, ...seen, el, px: px(el) });
  }
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i];
      const b = texts[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (w > 2 && h > 2) overlaps.push([`${a.where} “${a.text}”`, `${b.where} “${b.text}”`]);
    }
  }

  const bar = document.querySelector('.bar');
  const parts = bar ? [...bar.children].filter(visible).map((el) => el.getBoundingClientRect()) : []; // an embed has none
  const plots = [...document.querySelectorAll('.plot[data-view]')].filter(visible).map((el) => {
    const svg = el.querySelector('.main-svg');
    return {
      view: el.dataset.view,
      box: box(el.getBoundingClientRect()),
      drawn: svg ? { w: Number(svg.getAttribute('width')), h: Number(svg.getAttribute('height')) } : null,
    };
  });
  const sizes = (selector) => [...document.querySelectorAll(selector)].filter(visible).map(px);
  const scene = document.querySelector('[data-view="warp"]')._fullLayout?.scene;
  const legend = document.querySelector('[data-view="warp"] .legend');
  return {
    viewport: { w: innerWidth, h: innerHeight },
    // a 3-D scene's labels are WebGL, not text in the page: its layout says whether they show
    scene: scene ? { ticks: scene.xaxis.showticklabels, px: scene.xaxis.tickfont.size } : null,
    scroll: { w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight },
    bar: { h: bar ? bar.getBoundingClientRect().height : 0, parts: parts.map((r) => [r.top, r.bottom]) },
    plots,
    // the warp view's legend and the card it is in
    warpLegend: legend && visible(legend) ? box(legend.getBoundingClientRect()) : null,
    warpCard: (card => card && box(card.getBoundingClientRect()))(document.querySelector('[data-card="warp"]')), // none in an embed
    overlaps,
    texts: texts.length,
    // the smallest pieces of text on screen, smallest first: [px, where, text]
    smallest: texts.map((t) => [t.px, t.where, t.text]).sort((a, b) => a[0] - b[0]).slice(0, 6),
    plotText: {
      ticks: sizes('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text, .js-plotly-plot .y2tick text'),
      legend: sizes('.js-plotly-plot .legendtext'),
    },
  };
}
