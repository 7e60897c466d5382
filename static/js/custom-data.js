// Your own points in the URL's compact form, written exactly as app/engine/custom_data.py does:
// base64url without padding of little-endian records int16 x·10000, int16 y·10000, uint8 label.

import { CONSTANTS } from './constants.js';

export const { scale: SCALE, limit: LIMIT, maxPoints: MAX_POINTS, recordBytes: RECORD } = CONSTANTS.customData;

/** NumPy's rint: to the nearest integer, halves to even. */
function rint(value) {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const quantise = (v) => rint(Math.min(LIMIT, Math.max(-LIMIT, v)) * SCALE);

/** points: [{x, y, label}] → the `data` parameter. */
export function encodePoints(points) {
  const view = new DataView(new ArrayBuffer(points.length * RECORD));
  points.forEach(({ x, y, label }, i) => {
    view.setInt16(i * RECORD, quantise(x), true);
    view.setInt16(i * RECORD + 2, quantise(y), true);
    view.setUint8(i * RECORD + 4, label);
  });
  let binary = '';
  for (const byte of new Uint8Array(view.buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The `data` parameter → [{x, y, label}]; [] when it does not parse. */
export function decodePoints(text) {
  if (!text || !/^[A-Za-z0-9_-]*$/.test(text)) return [];
  let binary;
  try {
    binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  } catch {
    return [];
  }
  if (binary.length % RECORD) return [];
  const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
  const points = [];
  for (let at = 0; at < view.byteLength; at += RECORD) {
    points.push({
      x: view.getInt16(at, true) / SCALE,
      y: view.getInt16(at + 2, true) / SCALE,
      label: view.getUint8(at + 4),
    });
  }
  return points;
}

/** Why the server would refuse these points (the same rules as custom_data._checked), or ''. */
export function pointsProblem(points) {
  const counts = [0, 0, 0];
  for (const p of points) counts[p.label] += 1;
  if (points.length > MAX_POINTS) return 'tooMany';
  if (counts[0] < 2 || counts[1] < 2) return 'needTwo';
  if (counts[2] === 1) return 'needTwoOfThird';
  return '';
}
