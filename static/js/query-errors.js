// The server names each bad field of the page's URL in a notice (templates/base.html), in the
// API's English. The page says the same in its own language, from the rules it validates its
// controls with (controls.js): a Chinese reader of a broken link reads Chinese.

import { validate } from './controls.js';
import { t } from './i18n.js';
import { parseValue } from './url.js';

/** Rewrite each `[data-query-error=<field>]` of `root` in the page's language; a message this
 * page has no words for keeps the server's. */
export function translateQueryErrors(root, fields, search = location.search) {
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
    // what validate() lets pass but the server refused: a flag's other words, "10.0" or "+1"
    const otherwise = { flag: t('error.flag'), integer: t('error.integer') }[kind];
    const message = kind === 'flag' ? otherwise : errors[name] ?? otherwise;
    if (!message) continue;
    el.textContent = t('error.query', { field: t(`field.${name}`), name, message, got: query.get(name) ?? '' });
  }
}
