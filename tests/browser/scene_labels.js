// Whether a 3-D scene's labels (drawn in WebGL, not text in the page) keep apart, as a person
// sees them, for tests/browser/test_present.py: the warp view's scene is drawn again, off to
// the side, with the same size, camera and axes but nothing else visible, once per group of
// labels that cannot touch one another — each axis's even-numbered ticks, its odd-numbered
// ticks, and the three axis titles. Each group's picture is its ink, grown by `RADIUS_EM` of
// the labels' type size; `touching` lists the pairs of groups that share a pixel (neighbours
// along an axis, labels of two axes meeting at a corner, a title on a label) and how many
// pixels they share. Null when the view is 2-D.
async () => {
  const pixelsOf = PIXELS_OF;
  const el = document.querySelector('[data-view="warp"]');
  const scene = el._fullLayout?.scene?._scene;
  if (!scene) return null;
  const names = ['xaxis', 'yaxis', 'zaxis'];
  const ticks = scene.axesOptions.ticks.map((axis, i) => axis.filter((tick) => String(tick.text).trim())
    .map((tick) => ({ value: tick.x / scene.dataScale[i], text: tick.text })));
  const { width, height } = el._fullLayout;
  const px = el._fullLayout.scene.xaxis.tickfont.size ** 2 / 12; // as render/warp3d.js sizes them
  const groups = [{ name: 'titles', titles: true }];
  names.forEach((axis, i) => [0, 1].forEach((odd) => {
    const chosen = ticks[i].filter((_, k) => k % 2 === odd);
    if (chosen.length) groups.push({ name: `${axis[0]} ${odd ? 'odd' : 'even'}`, axis, chosen });
  }));
  const clone = document.createElement('div');
  clone.style.cssText = `position: fixed; left: 0; top: 0; width: ${width}px; height: ${height}px; z-index: -1`;
  document.body.append(clone);
  const masks = [];
  let k = 1;
  try {
    for (const group of groups) {
      const layout = JSON.parse(JSON.stringify(el.layout));
      Object.assign(layout, { width, height, showlegend: false });
      for (const axis of names) {
        const own = group.axis === axis;
        Object.assign(layout.scene[axis], { showgrid: false, showline: false, showbackground: false,
          showspikes: false, zeroline: false, ticks: '', showticklabels: own,
          title: { ...layout.scene[axis].title, text: group.titles ? axis[0] : '' } });
        if (own) {
          Object.assign(layout.scene[axis], { tickmode: 'array', tickvals: group.chosen.map((t) => t.value),
            ticktext: group.chosen.map((t) => t.text) });
        }
      }
      const traces = el.data.map((trace) => ({ ...trace, opacity: 0, showlegend: false }));
      await Plotly.react(clone, traces, layout, { displayModeBar: false, plotGlPixelRatio: 1 });
      const image = await pixelsOf(clone._fullLayout.scene._scene.toImage('png'));
      k = image.width / width;
      const ink = new Uint8Array(image.width * image.height);
      for (let i = 0; i < ink.length; i++) ink[i] = image.data[i * 4 + 3] > 20 ? 1 : 0;
      masks.push({ name: group.name, ink, w: image.width, h: image.height });
    }
  } finally {
    Plotly.purge(clone);
    clone.remove();
  }
  const r = Math.max(1, Math.round(RADIUS_EM * px * k));
  const grow = ({ ink, w, h }) => { // a square of side 2r + 1 around every inked pixel
    const rows = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      let last = -Infinity;
      for (let x = 0; x < w; x++) { if (ink[y * w + x]) last = x; if (x - last <= r) rows[y * w + x] = 1; }
      last = Infinity;
      for (let x = w - 1; x >= 0; x--) { if (ink[y * w + x]) last = x; if (last - x <= r) rows[y * w + x] = 1; }
    }
    const out = new Uint8Array(w * h);
    for (let x = 0; x < w; x++) {
      let last = -Infinity;
      for (let y = 0; y < h; y++) { if (rows[y * w + x]) last = y; if (y - last <= r) out[y * w + x] = 1; }
      last = Infinity;
      for (let y = h - 1; y >= 0; y--) { if (rows[y * w + x]) last = y; if (last - y <= r) out[y * w + x] = 1; }
    }
    return out;
  };
  const grown = masks.map(grow);
  const touching = [];
  for (let a = 0; a < masks.length; a++) {
    for (let b = a + 1; b < masks.length; b++) {
      let shared = 0;
      for (let i = 0; i < grown[a].length; i++) shared += grown[a][i] & grown[b][i];
      if (shared > 0) touching.push([masks[a].name, masks[b].name, shared]);
    }
  }
  return { ticks: ticks.map((axis) => axis.map((t) => t.text)), radius: r, px, touching };
}
