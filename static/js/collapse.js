// A run that ends without diverging can still have failed: every point squeezed onto one spot
// (a too-large step saturates the units), or the accuracy stuck at chance while the loss has
// stopped moving. The status must not say "finished" over that picture.

import { lastStage } from './decode.js';

const SPOT = 1e-6; // points' extent, relative to their distance from the origin, that is one spot
const CHANCE_MARGIN = 0.02; // accuracy within this of 1 / classes is chance
const STILL = 0.01; // the loss moved by less than this share over the last half of the run

/** Whether every point sits on one spot in the last space of `snapshot`. */
function oneSpot(snapshot) {
  const { meta } = snapshot;
  const { dims, gridRows } = meta;
  const positions = snapshot.stage(lastStage(meta));
  const count = meta.labels.length;
  for (let d = 0; d < dims; d++) {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = positions[(gridRows + i) * dims + d];
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    if (!(high - low <= SPOT * (1 + Math.abs(high)))) return false;
  }
  return true;
}

/**
 * How the run in `snapshots` (oldest first) collapsed: 'spot', 'chance', or null if it did not.
 * 'chance' needs at least four snapshots, so that "the loss stopped moving" means something.
 */
export function collapseOf(snapshots) {
  const last = snapshots.at(-1);
  if (!last) return null;
  if (oneSpot(last)) return 'spot';
  const chance = 1 / last.meta.classes;
  if (snapshots.length < 4 || last.metrics.acc_train > chance + CHANCE_MARGIN) return null;
  const half = snapshots[Math.floor(snapshots.length / 2)].metrics.loss_train;
  const now = last.metrics.loss_train;
  return Math.abs(now - half) <= STILL * Math.abs(half) ? 'chance' : null;
}
