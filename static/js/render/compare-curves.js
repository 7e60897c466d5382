// Both runs' loss and accuracy against the training step: one colour per run, train solid and
// test dashed, as the page's own curves are dashed.

import { num } from '../format.js';
import { PLOT_CONFIG, font, plotMargins } from './style.js';

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
  const marks = step === null || step === undefined ? [] : [{ type: 'line', xref: 'x', yref: 'paper', x0: step, x1: step,
    y0: 0, y1: 1, line: { color: look.muted, width: 1, dash: 'dot' } }];
  return Plotly.react(el, traces, {
    margin: plotMargins(look, { l: 44, r: 8, t: 6, b: 22 }), font: font(look), uirevision: 'compare-curves',
    shapes: marks, showlegend: true,
    legend: { orientation: 'h', x: 0, y: -0.16, yanchor: 'top', font: font(look, 11, 0.8) },
    xaxis: { rangemode: 'tozero', anchor: 'y2', nticks: look.present ? 5 : 0 },
    yaxis: { domain: [0.56, 1], title: { text: t('curves.loss') }, rangemode: 'tozero' },
    yaxis2: { domain: [0, 0.44], title: { text: t('curves.acc') }, range: [0, 1.02],
      tickvals: look.present ? [0.5, 1] : undefined },
    paper_bgcolor: 'rgba(0,0,0,0)',
  }, PLOT_CONFIG);
}
