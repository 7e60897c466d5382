// plotly.js runs late on purpose. Its 4.8 MB of script hold the main thread for 1–2 s while
// they compile, which is longer than the stream takes to deliver its first snapshot; so the page
// preloads the bytes (<link rel=preload data-plotly>), draws that snapshot with a canvas sketch
// (render/sketch.js), and only then runs plotly.js. A run that never draws (a refused config, a
// server away) gets plotly.js after FALLBACK_MS anyway.

const FALLBACK_MS = 1500;

let loading = null;
let ready = false;
const waiting = [];

/** Whether plotly.js has run and its first callbacks (the locale) have been applied. */
export const plotlyReady = () => ready;

/** Run plotly.js now (once); resolves when window.Plotly is there. */
export function loadPlotly() {
  if (loading) return loading;
  loading = new Promise((resolve, reject) => {
    const link = document.querySelector('[data-plotly]');
    const script = document.createElement('script');
    script.src = link.href;
    script.addEventListener('load', () => resolve(window.Plotly), { once: true });
    script.addEventListener('error', () => reject(new Error(`plotly.js did not load from ${link.href}`)), { once: true });
    document.head.append(script);
  });
  loading.then(() => {
    ready = true;
    waiting.splice(0).forEach((callback) => callback(window.Plotly));
  }, () => {});
  return loading;
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
