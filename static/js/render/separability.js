// How untangled the classes are after each layer: the accuracy of the best straight line there.

import { num } from '../format.js';
import { CLASS_COLOURS, PLOT_CONFIG, font, plotMargins } from './style.js';

export function renderSeparability(el, { separability, chance, look }) {
  const { t } = look;
  const x = separability.map((_, k) => (k === 0 ? t('separability.input') : String(k)));
  return Plotly.react(el, [{
    type: 'scatter', mode: 'lines+markers', x, y: separability, name: t('inspector.separability'),
    text: separability.map((value) => num(value)),
    hovertemplate: `${t('separability.hover', { stage: '%{x}', value: '%{text}' })}<extra></extra>`,
    line: { color: CLASS_COLOURS[2], width: 2 }, marker: { size: 6 },
  }], {
    margin: plotMargins(look, { l: 36, r: 8, t: 28, b: 24 }), font: font(look), uirevision: 'separability',
    // a title, not a tick: smaller than the rest in presentation, so that it fits the card
    title: { text: t('inspector.separabilityAxis'), font: font(look, 11, 0.8), x: 0, xanchor: 'left', y: 0.98, yanchor: 'top' },
    // in presentation two labels only, away from the corner: large type on a short chart collides
    yaxis: { range: [Math.min(chance, 0.5) - 0.02, 1.02], tickvals: look.present ? [0.75, 1] : undefined }, xaxis: { type: 'category' },
    paper_bgcolor: 'rgba(0,0,0,0)', showlegend: false,
  }, PLOT_CONFIG);
}
