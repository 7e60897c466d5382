// A 3-D scene that fills its box. plotly.js draws the scene's axis box (aspectmode 'cube': each
// axis the same length, whatever its range) with a fixed perspective, so in a wide, short card
// (presentation with a lesson above it) the cube is as tall as the card and a third as wide.
// Here the box takes the card's shape instead — its horizontal axes up to STRETCH_MAX times
// the vertical one in a wide card, the other way round in a tall one — and the camera moves in
// until the box, with room for its tick labels, just fits, centred. Straight lines stay straight
// and planes flat under such a stretch, as under the cube's own per-axis scaling.

const FOVY = Math.PI / 4; // plotly.js's gl-plot3d perspective
export const STRETCH_MAX = 2;
const STRETCHES = Array.from({ length: 9 }, (_, i) => 1 + (i * (STRETCH_MAX - 1)) / 8); // 1 … 2 in eighths
export const DEFAULT_EYE = { x: 1.5, y: -1.5, z: 1.1 };

const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a) => {
  const n = Math.hypot(...a) || 1;
  return a.map((v) => v / n);
};

/**
 * The box's corners (half-sides `aspect`/2, as gl-plot3d scales the data) seen from `eye`
 * looking at `centre` with z up, on a `ratio` = width / height screen, in normalised device
 * coordinates (±1 = the edges): {x: largest |x|, top, bottom}, or null when a corner is behind
 * the eye. plotly.js draws the far planes only, so the corner nearest the eye, where no drawn
 * line reaches, is left out.
 */
export function spread(aspect, eye, ratio, centre = [0, 0, 0]) {
  const forward = unit(sub(centre, eye));
  let right = cross(forward, [0, 0, 1]);
  if (Math.hypot(...right) < 1e-6) right = [1, 0, 0]; // looking straight down
  right = unit(right);
  const up = cross(right, forward);
  const f = 1 / Math.tan(FOVY / 2);
  const corners = Array.from({ length: 8 }, (_, k) => [0, 1, 2].map((a) => ((k >> a) & 1 ? 0.5 : -0.5) * aspect[a]));
  const distance = (c) => Math.hypot(...sub(c, eye));
  const nearest = corners.reduce((best, c) => (distance(c) < distance(best) ? c : best));
  let x = 0;
  let top = -Infinity;
  let bottom = Infinity;
  for (const corner of corners) {
    if (corner === nearest) continue;
    const v = sub(corner, eye);
    const depth = dot(v, forward);
    if (depth <= 1e-6) return null;
    x = Math.max(x, Math.abs((f / ratio) * dot(v, right) / depth));
    const y = f * dot(v, up) / depth;
    top = Math.max(top, y);
    bottom = Math.min(bottom, y);
  }
  return { x, top, bottom };
}

/**
 * Each axis of the box (`aspect` as in spread) as it shows on a `width` × `height` px screen
 * seen from `eye` looking at `centre`: for x, y and z, its four parallel edges (plotly.js draws
 * the labels on one, chosen as the camera turns), each {length (px), dx, dy (its unit
 * direction on screen)}. What tick labels have to share.
 */
export function axesOnScreen(aspect, eye, centre, width, height) {
  const forward = unit(sub(centre, eye));
  let right = cross(forward, [0, 0, 1]);
  if (Math.hypot(...right) < 1e-6) right = [1, 0, 0];
  right = unit(right);
  const up = cross(right, forward);
  const f = 1 / Math.tan(FOVY / 2);
  const screen = (point) => {
    const v = sub(point, eye);
    const depth = Math.max(1e-6, dot(v, forward));
    return [(f * height / 2) * dot(v, right) / depth, (f * height / 2) * dot(v, up) / depth];
  };
  return [0, 1, 2].map((axis) => [[-1, -1], [-1, 1], [1, -1], [1, 1]].map(([s, t]) => {
    const [a, b] = [0, 1, 2].filter((other) => other !== axis); // the box's middle is 0
    const end = (sign) => {
      const point = [0, 0, 0];
      point[axis] = (sign * aspect[axis]) / 2;
      point[a] = (s * aspect[a]) / 2;
      point[b] = (t * aspect[b]) / 2;
      return point;
    };
    const [x0, y0] = screen(end(-1));
    const [x1, y1] = screen(end(1));
    const length = Math.hypot(x1 - x0, y1 - y0);
    return { length, dx: length ? Math.abs(x1 - x0) / length : 1, dy: length ? Math.abs(y1 - y0) / length : 0 };
  }));
}

/** The eye along `direction` from `centre` at which the box fits ±limit (NDC), by bisection. */
function fitDistance(aspect, direction, ratio, limit, centre) {
  let near = 0.3;
  let far = 60;
  for (let i = 0; i < 40; i++) {
    const mid = (near + far) / 2;
    const eye = centre.map((c, a) => c + direction[a] * mid);
    const s = spread(aspect, eye, ratio, centre);
    if (s && s.x <= limit.x && (s.top - s.bottom) / 2 <= limit.y) far = mid;
    else near = mid;
  }
  return far;
}

/**
 * The scene's aspect ratio and camera (eye and centre) for a plot area of `width` × `height`
 * px, keeping `margin` {x, y} px around the box for tick labels, seen from `direction` (the
 * user's or the default camera's). Of the stretches 1…STRETCH_MAX (horizontal axes when the
 * area is wide, the vertical axis when it is tall), the one whose fitted box covers the most
 * area; the camera then slides along z until the drawn box sits in the middle.
 */
export function sceneFit(width, height, margin, direction = DEFAULT_EYE) {
  const ratio = width / height;
  const limit = { x: Math.max(0.2, 1 - (2 * margin.x) / width), y: Math.max(0.2, 1 - (2 * margin.y) / height) };
  const dir = unit([direction.x, direction.y, direction.z]);
  const wide = ratio >= 1;
  let best = null;
  for (const k of STRETCHES) {
    const aspect = wide ? [k, k, 1] : [1, 1, k];
    let centre = [0, 0, 0];
    let distance = 1;
    for (let round = 0; round < 3; round++) { // fit, centre, fit again: the two barely interact
      distance = fitDistance(aspect, dir, ratio, limit, centre);
      const eye = centre.map((c, a) => c + dir[a] * distance);
      const s = spread(aspect, eye, ratio, centre);
      // the picture's middle sits (top + bottom)/2 off the screen's: slide the camera that way
      const off = (s.top + s.bottom) / 2;
      const scale = (1 / Math.tan(FOVY / 2)) / distance; // NDC per unit of height at the centre
      centre = [0, 0, centre[2] + off / scale / Math.max(0.2, Math.hypot(dir[0], dir[1]))];
    }
    const eye = centre.map((c, a) => c + dir[a] * distance);
    const s = spread(aspect, eye, ratio, centre);
    const area = s.x * width * ((s.top - s.bottom) / 2) * height;
    if (!best || area > best.area * 1.02) best = { area, aspect, eye, centre };
  }
  const [x, y, z] = best.aspect;
  const point = ([px, py, pz]) => ({ x: px, y: py, z: pz });
  return { aspectratio: { x, y, z }, eye: point(best.eye), center: point(best.centre) };
}
