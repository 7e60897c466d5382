// The two forms of a class: the teacher's challenge (a data set and a goal) and a student's
// "Submit my run" with an optional nickname. Each is a modal <dialog>; a refusal is said in it.

import { fieldErrors } from './api.js';

const DATA_FIELDS = ['dataset', 'points', 'noise', 'turns', 'label_noise', 'test_fraction', 'seed'];
const RANK_BY = [
  ['parameters', 'class.rankParameters'], ['layers', 'class.rankLayers'], ['steps', 'class.rankSteps'], ['accuracy', 'class.rankAccuracy'],
];

/** A refusal in words: a 422's messages by field, else what its status means. */
export function refusal(result, t) {
  if (result.status === 422) {
    const errors = fieldErrors(result.body);
    const named = Object.entries(errors).map(([field, message]) => `${field}: ${message}`);
    if (named.length) return named.join('; ');
  }
  if (result.status === 429) return t('class.tooMany', { s: result.retryAfter ?? 60 });
  if (result.status === 409) return t('class.refused409');
  if (result.status === 404 || result.status === 410) return t('class.gone');
  if (result.status === 403) return t('class.notTeacher');
  return t('class.unreachable');
}

/** The data part of `config` a challenge fixes, the data set replaced by `dataset`. */
export function challengeData(config, dataset) {
  const data = Object.fromEntries(DATA_FIELDS.map((name) => [name, config[name]]));
  data.dataset = dataset;
  if (dataset === 'custom' && config.dataset === 'custom') data.data = config.data;
  return data;
}

/** Open a dialog whose form's submit calls `act(form)`; it closes when `act` resolves null. */
function bindDialog(dialog, act) {
  const form = dialog.querySelector('form');
  const error = form.querySelector('[role="alert"]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (event.submitter?.value === 'cancel') {
      dialog.close();
      return;
    }
    error.textContent = '';
    const problem = await act(form);
    if (problem) error.textContent = problem;
    else dialog.close();
  });
  return () => {
    error.textContent = '';
    dialog.showModal();
  };
}

/** The teacher's challenge dialog: `set(challenge)` answers a problem in words, or null. */
export function challengeDialog(root, { t, config, set }) {
  const dialog = root.querySelector('[data-class-challenge-dialog]');
  const datasets = dialog.querySelector('[data-class-dataset]');
  const fromForm = root.querySelector('[data-field="dataset"]');
  datasets.replaceChildren(...[...fromForm.options].map((option) => new Option(option.textContent, option.value)));
  dialog.querySelector('[data-class-goal]').replaceChildren(...RANK_BY.map(([value, key]) => new Option(t(key), value)));
  const open = bindDialog(dialog, async (form) => {
    const goal = Number(form.elements.target.value);
    if (!(goal >= 0.5 && goal <= 1)) return t('class.targetRange');
    return set({ data: challengeData(config(), form.elements.dataset.value), goal, rank_by: form.elements.goal.value });
  });
  return () => {
    datasets.value = config().dataset;
    open();
  };
}

/** A student's submit dialog: `send(nickname)` answers a problem in words, or null. */
export function submitDialog(root, { t, describe, send }) {
  const dialog = root.querySelector('[data-class-submit-dialog]');
  const open = bindDialog(dialog, (form) => send(form.elements.nickname.value.trim()));
  return () => {
    dialog.querySelector('[data-class-submit-what]').textContent = describe();
    open();
  };
}
