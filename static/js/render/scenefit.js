// A 3-D scene that fills its box. plotly.js draws the scene's axis box (aspectmode 'cube': each
// axis the same length, whatever its range) with a fixed perspective, so in a wide, short card
// (presentation with a lesson above it) the cube is as tall as the card and a third as wide.
// Here the box takes the card's shape instead — its horizontal axes up to STRETCH_MAX times
// the vertical one in a wide card, the other way round in a tall one — and the camera moves in
// until the box, with room for its tick labels, just fits. Straight lines stay straight and
// planes flat under such a stretch, as under the cube's own per-axis scaling.

const FOVY = Math.PI / 4; // plotly.js's gl-plot3d perspective
export const STRETCH_MAX = 2;
const STRETCHES = Array.from({ length: 9 }, (_, i) => 1 + (i * (STRETCH_MAX - 1)) / 8); // 1 … 2 in eighths
export const DEFAULT_EYE = { x: 1.5, y: -1.5, z: 1.1 };
// plotly.js draws only the box's far planes: the drawn picture is about this share of the
// whole box's height on screen (measured in Chromium: 0.75–0.92, the wider the box the less)
const DRAWN_HEIGHT = 0.8;

const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a) => {
  const n = Math.hypot(...a) || 1;
  return a.map((v) => v / n);
};

/**
 * The box's corners (half-sides `aspect`/2, as gl-plot3d scales the data) seen from `eye`
 * looking at the centre with z up, on a `ratio` = width / height screen: the largest |x| and
 * |y| in normalised device coordinates (1 = the edge), or null when a corner is behind the eye.
 */
export function spread(aspect, eye, ratio) {
  const forward = unit(sub([0, 0, 0], eye));
  let right = cross(forward, [0, 0, 1]);
  if (Math.hypot(...right) < 1e-6) right = [1, 0, 0]; // looking straight down
  right = unit(right);
  const up = cross(right, forward);
  const f = 1 / Math.tan(FOVY / 2);
  let x = 0;
  let y = 0;
  for (let k = 0; k < 8; k++) {
    const corner = [0, 1, 2].map((a) => ((k >> a) & 1 ? 0.5 : -0.5) * aspect[a]);
    const v = sub(corner, eye);
    const depth = dot(v, forward);
    if (depth <= 1e-6) return null;
    x = Math.max(x, Math.abs((f / ratio) * dot(v, right) / depth));
    y = Math.max(y, Math.abs(f * dot(v, up) / depth));
  }
  return { x, y };
}

/** The eye along `direction` at which the box just fits inside ±limit (NDC), by bisection. */
function fitDistance(aspect, direction, ratio, limit) {
  const d = unit(direction);
  let near = 0.3;
  let far = 60;
  for (let i = 0; i < 40; i++) {
    const mid = (near + far) / 2;
    const s = spread(aspect, d.map((v) => v * mid), ratio);
    if (s && s.x <= limit.x && s.y <= limit.y) far = mid;
    else near = mid;
  }
  return far;
}

/**
 * The scene's aspect ratio and camera eye for a plot area of `width` × `height` px, keeping
 * `margin` {x, y} px around the box for tick labels, seen from `direction` (the user's or the default
 * camera's). Of the stretches 1…STRETCH_MAX (horizontal axes when the area is wide, the
 * vertical axis when it is tall), the one whose fitted box covers the largest area.
 */
export function sceneFit(width, height, margin, direction = DEFAULT_EYE) {
  const ratio = width / height;
  const limit = {
    x: Math.max(0.2, 1 - (2 * margin.x) / width),
    y: Math.max(0.2, 1 - (2 * margin.y) / height) / DRAWN_HEIGHT,
  };
  const dir = [direction.x, direction.y, direction.z];
  const wide = ratio >= 1;
  let best = null;
  for (const k of STRETCHES) {
    const aspect = wide ? [k, k, 1] : [1, 1, k];
    const distance = fitDistance(aspect, dir, ratio, limit);
    const eye = unit(dir).map((v) => v * distance);
    const s = spread(aspect, eye, ratio);
    const area = s.x * width * s.y * DRAWN_HEIGHT * height;
    if (!best || area > best.area * 1.02) best = { area, aspect, eye };
  }
  const [x, y, z] = best.aspect;
  const [ex, ey, ez] = best.eye;
  return { aspectratio: { x, y, z }, eye: { x: ex, y: ey, z: ez } };
}
