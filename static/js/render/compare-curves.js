// Both runs' loss and accuracy against the training step: one colour per run, train solid and
// test dashed, as the page's own curves are dashed.

import { num } from '../format.js';
import { curvesLayout } from './curves.js';
import { PLOT_CONFIG, font } from './style.js';

/** Run B's colour (Okabe–Ito vermillion); run A is drawn in the page's ink. */
export const B_COLOUR = '#D55E00';

/**
 * data: {runs: [{letter, title, snapshots}], step (the one shown, marked), look}.
 * Each run's snapshots are [{step, metrics}].
 */
export function renderCompareCurves(el, { runs, step, look }) {
  const { t } = look;
  const colours = [look.ink, B_COLOUR];
  const traces = [];
  runs.forEach((run, i) => {
    const steps = run.snapshots.map((s) => s.step);
    for (const key of ['loss_train', 'loss_test', 'acc_train', 'acc_test']) {
      const values = run.snapshots.map((s) => s.metrics[key]);
      const what = `${t(key.startsWith('loss') ? 'curves.loss' : 'curves.acc')} · ${t(key.endsWith('train') ? 'curves.train' : 'curves.test')}`;
      const name = `${run.letter} · ${what}`;
      traces.push({
        type: 'scatter', mode: 'lines', x: steps, y: values, yaxis: key.startsWith('loss') ? 'y' : 'y2', name,
        text: values.map((value) => num(value)), showlegend: false,
        hovertemplate: `${name}<br>${t('curves.hover', { step: '%{x}', value: '%{text}' })}<extra></extra>`,
        line: { color: colours[i], dash: key.endsWith('train') ? 'solid' : 'dash', width: 2 },
      });
    }
  });
  // the legend names the runs by colour and the dashes once each
  const key = (name, colour, dash) => ({ type: 'scatter', mode: 'lines', x: [null], y: [null], name,
    hoverinfo: 'skip', line: { color: colour, dash, width: 2 } });
  runs.forEach((run, i) => traces.push(key(`${run.letter}: ${run.title}`, colours[i], 'solid')));
  traces.push(key(t('curves.train'), look.muted, 'solid'), key(t('curves.test'), look.muted, 'dash'));
  return Plotly.react(el, traces, curvesLayout(look, step, 'compare-curves', font(look, 11, 0.8)), PLOT_CONFIG);
}
