// Controls for every config field, bound through data-field hooks. The template writes each
// field's kind, range and default from TrainConfig, so the page validates with the server's ranges.

import { list, t } from './i18n.js';
import { parseValue } from './url.js';

/** name → {kind, default, min, max, choices, el} read from the form's data-* hooks. */
export function readFields(form) {
  const fields = {};
  for (const el of form.querySelectorAll('[data-field]')) {
    const { kind } = el.dataset;
    fields[el.dataset.field] = {
      el,
      kind,
      default: parseValue(kind, el.dataset.default),
      min: el.min === undefined || el.min === '' ? null : Number(el.min),
      max: el.max === undefined || el.max === '' ? null : Number(el.max),
      choices: el.dataset.choices ? el.dataset.choices.split(',') : null,
    };
  }
  return fields;
}

/** name → message for every value the server would refuse. */
export function validate(fields, config) {
  const errors = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = config[name];
    if (field.choices && !field.choices.includes(String(value))) {
      errors[name] = t('error.choice', { choices: list(field.choices) });
    } else if (field.kind === 'integer' || field.kind === 'number') {
      if (!Number.isFinite(value)) errors[name] = t('error.number');
      else if (field.kind === 'integer' && !Number.isInteger(value)) errors[name] = t('error.integer');
      else if ((field.min !== null && value < field.min) || (field.max !== null && value > field.max)) {
        errors[name] = t('error.range', { min: field.min, max: field.max });
      }
    }
  }
  if (!errors.batch_size && !errors.points && config.batch_size > config.points) {
    errors.batch_size = t('error.batch', { points: config.points });
  }
  return errors;
}

export function showConfig(fields, config) {
  for (const [name, field] of Object.entries(fields)) {
    const value = config[name];
    if (field.kind === 'flag') field.el.checked = Boolean(value);
    else if (document.activeElement !== field.el || field.el.value === '') field.el.value = String(value);
  }
}

/** Show each message next to its control; clear the rest. */
export function showErrors(form, errors) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    const message = errors[slot.dataset.errorFor] || '';
    slot.textContent = message;
    const input = form.querySelector(`[data-field="${slot.dataset.errorFor}"]`);
    if (input) input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
}

/** Call onChange(name, value) whenever a control is changed by the user. */
export function bindControls(fields, onChange) {
  for (const [name, field] of Object.entries(fields)) {
    field.el.addEventListener('change', () => {
      const value = field.kind === 'flag' ? field.el.checked : parseValue(field.kind, field.el.value);
      onChange(name, value);
    });
  }
}
