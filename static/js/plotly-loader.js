// plotly.js runs late on purpose. Its 2-D bundle (static/vendor, built by scripts/build-plotly)
// holds the main thread for a while as it compiles, longer than the stream takes to deliver its
// first snapshot; so the page preloads the bytes (<link rel=preload data-plotly>), draws that
// snapshot with a canvas sketch (render/sketch.js), and only then runs plotly.js. A run that never
// draws (a refused config, a server away) gets plotly.js after FALLBACK_MS anyway.
//
// The 3-D traces (scatter3d, mesh3d: gl3d) are a second bundle that registers them on the first
// one's Plotly; it is fetched when a 3-D view is first shown (loadPlotly3d), not on every load,
// and so is the page's own 3-D renderer (render/warp3d.js and the modules only it imports): four
// fewer of the requests a first load waits for on a phone's link.

const FALLBACK_MS = 1500;

let loading = null;
let ready = false;
let loading3d = null;
let ready3d = false;
let renderer3d = null;
const waiting = [];

/** Whether plotly.js has run and its first callbacks (the locale) have been applied. */
export const plotlyReady = () => ready;

/** Whether the 3-D traces are registered too (and the 3-D renderer is here). */
export const plotly3dReady = () => ready3d;

/** render/warp3d.js's exports once plotly3dReady(), else null. */
export const warp3d = () => renderer3d;

function runScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.addEventListener('load', () => resolve(window.Plotly), { once: true });
    script.addEventListener('error', () => reject(new Error(`plotly.js did not load from ${src}`)), { once: true });
    document.head.append(script);
  });
}

/** Run plotly.js now (once); resolves when window.Plotly is there. */
export function loadPlotly() {
  if (loading) return loading;
  loading = runScript(document.querySelector('[data-plotly]').href);
  loading.then(() => {
    ready = true;
    waiting.splice(0).forEach((callback) => callback(window.Plotly));
  }, () => {});
  return loading;
}

/** plotly.js with its 3-D traces (once): resolves when a 3-D plot can be drawn. A failed
 * fetch may be tried again by the next call. */
export function loadPlotly3d() {
  loading3d ??= Promise.all([
    loadPlotly().then(() => runScript(document.querySelector('[data-plotly]').dataset.plotly3d)),
    import('./render/warp3d.js'),
  ])
    .then(([Plotly, renderer]) => {
      renderer3d = renderer;
      ready3d = true;
      return Plotly;
    }, (error) => {
      loading3d = null;
      throw error;
    });
  return loading3d;
}

/** Load plotly.js once the frame now being drawn is on screen: after the next paint. */
export function loadPlotlyAfterPaint() {
  requestAnimationFrame(() => setTimeout(loadPlotly, 0));
}

/** Call `callback(Plotly)` when plotly.js has run (at once if it already has), in call order. */
export function whenPlotly(callback) {
  if (ready) callback(window.Plotly);
  else waiting.push(callback);
}

/** Never later than FALLBACK_MS from now, whatever the stream does. */
export function loadPlotlySoon(ms = FALLBACK_MS) {
  setTimeout(loadPlotly, ms);
}
