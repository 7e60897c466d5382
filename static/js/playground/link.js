// The playground's address for one layer of a run: what "Open this layer" links to. Entries are
// cut to 4 significant digits and to the playground's ±10 (app/web/playground.py), so the link
// always opens; a layer with larger weights opens clamped.

import { LIMIT } from './layer.js';

const entry = (v) => String(Number(Math.max(-LIMIT, Math.min(LIMIT, v)).toPrecision(4)));

/** The /playground URL for a 2×2 layer {W, b} with `activation`, or null for other shapes. */
export function playgroundUrl({ W, b }, activation, lang) {
  if (W.length !== 2 || W.some((row) => row.length !== 2)) return null;
  const query = `W=${W.flat().map(entry).join(',')}&b=${b.map(entry).join(',')}`
    + `&activation=${encodeURIComponent(activation)}&stage=act`;
  return `/playground?${query}${lang ? `&lang=${encodeURIComponent(lang)}` : ''}`;
}
