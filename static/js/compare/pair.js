// What keeps two runs side by side on the same stage and the same training step. Pure
// functions of the two runs' stages and snapshots: compare.js wires them to the stores.

import { findStage } from '../url.js';

/**
 * The stage of `to` that matches stage `index` of `from`: the same name when `to` has it
 * (input, 2.W, 3.act…); a layer that `to` does not have maps to `to`'s last stage, and so does
 * the last stage of `from`, so both views show the readout's boundary together.
 */
export function matchStage(from, index, to) {
  if (!from.length || !to.length) return 0;
  const name = from[Math.max(0, Math.min(from.length - 1, index))];
  if (index >= from.length - 1) return to.length - 1;
  const same = findStage(to, name);
  return same >= 0 ? same : to.length - 1;
}

/**
 * The training step both views show: the newest step every run still training has reached
 * (a finished run waits for nobody). `runs` are [{steps: [..], training: bool}].
 */
export function commonStep(runs) {
  const lasts = runs.filter((run) => run.steps.length).map((run) => ({ ...run, last: run.steps.at(-1) }));
  if (lasts.length < runs.length) return null;
  const training = lasts.filter((run) => run.training);
  return Math.min(...(training.length ? training : lasts).map((run) => run.last));
}

/** The index of the newest of `steps` (ascending) at or before `step`, or -1. */
export function indexAtOrBefore(steps, step) {
  let low = 0;
  let high = steps.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (steps[middle] <= step) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** A config value as a reader reads it: numbers as they are, true/false, custom points named. */
function shown(field, value, t) {
  if (field === 'data') return value ? t('compare.ownPoints') : '—';
  if (typeof value === 'boolean') return t(value ? 'compare.on' : 'compare.off');
  return String(value);
}

/** A field's name in running text: "width", "learning rate α", "数据". */
const label = (field, t) => (field === 'data' ? t('compare.data') : t(`field.${field}`).toLowerCase());

/** "width 2 → 3; activation tanh → relu", in the page's language (`t` from i18n.js). */
export function describeDifferences(differences, t) {
  if (!differences.length) return t('compare.same');
  return differences.map(({ field, a, b }) => t('compare.change', {
    field: label(field, t), a: shown(field, a, t), b: shown(field, b, t),
  })).join(t('compare.separator'));
}

/** One side's title: its values of the fields that differ ("width 3"). */
export function sideTitle(differences, side, t) {
  return differences.map(({ field, ...values }) => `${label(field, t)} ${shown(field, values[side], t)}`)
    .join(t('list.separator'));
}
