// A config that came from outside the page's own controls (a host's setConfig, a saved run's
// file) is checked like any input: unknown fields and bad values are named, and nothing is
// applied unless the server's /api/config accepts the whole config too.

import { validate } from './controls.js';
import { t } from './i18n.js';
import { parseValue, queryString } from './url.js';

const FLAG_TEXT = { true: true, false: false, 1: true, 0: false };

/** One value by its field's kind; undefined when it cannot be that kind. */
function coerce(field, value) {
  if (field.kind === 'flag') return typeof value === 'boolean' ? value : FLAG_TEXT[String(value)];
  if (field.kind === 'text') return value === null ? '' : typeof value === 'string' ? value : undefined;
  if (!['string', 'number'].includes(typeof value)) return undefined;
  return parseValue(field.kind, String(value));
}

/**
 * `patch` over `base` → {config} (normalised by the server) or {errors: name → message}.
 * `fields` is readFields()'s map; `data` (the custom points) is one of them.
 */
export async function checkConfig(fields, base, patch) {
  // [name, message] pairs, not an object: `errors.__proto__ = …` would name nothing
  const refused = [];
  const next = { ...base };
  for (const [name, value] of Object.entries(patch)) {
    // only the config's own fields: `toString`, `constructor`, `__proto__` are inherited
    const field = Object.hasOwn(fields, name) ? fields[name] : null;
    const parsed = field ? coerce(field, value) : undefined;
    if (!field) refused.push([name, t('check.unknown')]);
    else if (parsed === undefined) refused.push([name, t('check.type', { kind: field.kind })]);
    else next[name] = parsed;
  }
  if (refused.length) return { errors: Object.fromEntries(refused) };
  const errors = validate(fields, next);
  if (Object.keys(errors).length) return { errors };
  let response;
  try {
    response = await fetch(`/api/config?${queryString(next)}`);
  } catch (error) {
    return { errors: { config: String(error.message || error) } };
  }
  if (response.status === 422) {
    for (const item of (await response.json()).detail || []) errors[item.loc.at(-1)] = item.msg;
    return { errors };
  }
  if (!response.ok) return { errors: { config: `HTTP ${response.status}` } };
  const normal = await response.json();
  const config = {};
  for (const name of Object.keys(fields)) config[name] = normal[name] ?? (fields[name].kind === 'text' ? '' : next[name]);
  return { config };
}

/** "name: message; …" for a status line or an error message. */
export const describeErrors = (errors) => Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join('; ');
