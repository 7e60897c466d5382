// The server names each bad field of the page's URL in a notice (templates/base.html), in the
// API's English. The page says the same in its own language, from the rules it validates its
// controls with (controls.js): a Chinese reader of a broken link reads Chinese.

import { validate } from './controls.js';
import { language, t } from './i18n.js';
import { parseValue } from './url.js';

/** Rewrite each `[data-query-error=<field>]` of `root` in the page's language, unless that is
 * the API's English already; a message this page has no words for keeps the server's. */
export function translateQueryErrors(root, fields, search = location.search) {
  if (language() === 'en') return;
  const query = new URLSearchParams(search);
  const config = {};
  for (const [name, field] of Object.entries(fields)) {
    // an integer's "1.5" read as the number it is, so that it is told "a whole number"
    const kind = field.kind === 'integer' ? 'number' : field.kind;
    config[name] = query.has(name) ? parseValue(kind, query.get(name)) : field.default;
  }
  const errors = validate(fields, config);
  for (const el of root.querySelectorAll('[data-query-error]')) {
    const name = el.dataset.queryError;
    if (!Object.hasOwn(fields, name)) continue;
    const { kind } = fields[name];
    const got = query.get(name) ?? '';
    let message = errors[name];
    // what validate() lets pass but the server refused: a flag's other words; "3.0", "+3" or
    // "1_0" for an integer, which the API takes in plain digits only
    if (kind === 'flag') message = t('error.flag');
    else if (kind === 'integer' && Number.isNaN(parseValue(kind, got)) && Number.isInteger(config[name])) message = t('error.digits');
    else if (kind === 'integer' && !message) message = t('error.integer');
    if (!message) continue;
    el.textContent = t('error.query', { field: t(`field.${name}`), name, message, got });
  }
}
