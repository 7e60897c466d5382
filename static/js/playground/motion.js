// How the playground moves between stages: the same pacing as the main view (warpview.js) —
// W's stretch in STAGE_MS, its rotation in ROTATE_MS, +b and σ in STAGE_MS each, a mirror
// reached by a jump — as a map from elapsed time to the continuous stage axis u
// (0 input, 1 W, 2 +b, 3 σ) that layer.js's positionsAt understands.

const STAGE_MS = 450;
const ROTATE_MS = 600; // the main view's four 150 ms legs of W's rotation
const REDUCED_MOTION = 0.15;

const motionScale = () => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? REDUCED_MOTION : 1);

/** Duration of leg k (from u = k to k + 1) in ms. */
const legMs = (k) => (k === 0 ? STAGE_MS + ROTATE_MS : STAGE_MS);

/** Where on leg 0 (input → W) we are after fraction f of its time: stretch to ½, then turn. */
function legZero(f) {
  const split = STAGE_MS / (STAGE_MS + ROTATE_MS);
  return f < split ? 0.5 * (f / split) : 0.5 + 0.5 * ((f - split) / (1 - split));
}

/** The leg plan from u = `from` to u = `to` (whole stages), with each leg's ms. */
export function plan(from, to) {
  const scale = motionScale();
  const legs = [];
  const direction = Math.sign(to - from);
  for (let k = from; k !== to; k += direction) {
    const leg = direction > 0 ? k : k - 1;
    legs.push({ leg, forward: direction > 0, ms: legMs(leg) * scale });
  }
  return legs;
}

/** u after `elapsed` ms of `legs`, and whether the plan is over. */
export function uAt(legs, elapsed, to) {
  let left = elapsed;
  for (const { leg, forward, ms } of legs) {
    if (left < ms) {
      const f = forward ? left / ms : 1 - left / ms;
      return { u: leg + (leg === 0 ? legZero(f) : f), done: false };
    }
    left -= ms;
  }
  return { u: to, done: true };
}
