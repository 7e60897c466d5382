// Loss and accuracy against the training step, train solid and test dashed.

import { num } from '../format.js';
import { CLASS_COLOURS, PLOT_CONFIG, font, plotMargins } from './style.js';

/** data: {snapshots, step (the one shown, marked by a vertical line)}. */
export function renderCurves(el, { snapshots, step, look }) {
  const { t } = look;
  const steps = snapshots.map((s) => s.step);
  const series = (key) => snapshots.map((s) => s.metrics[key]);
  // the tooltip's number is format.js's, as everywhere else on the page, not d3's
  const line = (key, axis, colour, dash) => {
    const name = `${t(key.startsWith('loss') ? 'curves.loss' : 'curves.acc')} · ${t(key.endsWith('train') ? 'curves.train' : 'curves.test')}`;
    return {
      type: 'scatter', mode: 'lines', x: steps, y: series(key), yaxis: axis, name,
      text: series(key).map((value) => num(value)),
      hovertemplate: `${name}<br>${t('curves.hover', { step: '%{x}', value: '%{text}' })}<extra></extra>`,
      line: { color: colour, dash, width: 2 }, showlegend: false,
    };
  };
  // each axis is named, so the legend only says what the dashes mean: two short entries that
  // fit on one row even at presentation size (the named curves stay first, for their hover)
  const key = (part, dash) => ({ type: 'scatter', mode: 'lines', x: [null], y: [null], name: t(part),
    hoverinfo: 'skip', line: { color: look.ink, dash, width: 2 } });
  const traces = [
    line('loss_train', 'y', CLASS_COLOURS[0], 'solid'),
    line('loss_test', 'y', CLASS_COLOURS[0], 'dash'),
    line('acc_train', 'y2', CLASS_COLOURS[1], 'solid'),
    line('acc_test', 'y2', CLASS_COLOURS[1], 'dash'),
    key('curves.train', 'solid'),
    key('curves.test', 'dash'),
  ];
  return Plotly.react(el, traces, curvesLayout(look, step, 'curves'), PLOT_CONFIG);
}

/**
 * Loss above accuracy against the step, the step shown marked by a dotted line (none when
 * `step` is null or undefined): the layout of these curves and of the comparison's.
 */
export function curvesLayout(look, step, uirevision, legendFont = font(look, 10)) {
  const { t } = look;
  const marks = step === undefined || step === null ? [] : [{ type: 'line', xref: 'x', yref: 'paper', x0: step,
    x1: step, y0: 0, y1: 1, line: { color: look.muted, width: 1, dash: 'dot' } }];
  return {
    margin: plotMargins(look, { l: 44, r: 8, t: 6, b: 22 }), font: font(look), uirevision, shapes: marks,
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: -0.16, yanchor: 'top', font: legendFont },
    xaxis: { rangemode: 'tozero', anchor: 'y2', nticks: look.present ? 5 : 0 },
    yaxis: { domain: [0.56, 1], title: { text: t('curves.loss') }, rangemode: 'tozero' },
    // in presentation no "0" on the accuracy axis: its large type would sit on the step axis's 0
    yaxis2: { domain: [0, 0.44], title: { text: t('curves.acc') }, range: [0, 1.02],
      tickvals: look.present ? [0.5, 1] : undefined },
    paper_bgcolor: 'rgba(0,0,0,0)',
  };
}
