// The query string is the state: config fields by their TrainConfig names, plus the stage
// shown and the stream's pacing. Opening the URL reproduces the run.

const EXTRA = ['every', 'rate', 'stage', 'lang', 'lesson', 'present', 'theme'];

/** Page parameters that their own modules keep in the URL (lesson, present, theme). */
export const pageParams = {};

/** Parse a field's text by its kind; undefined when it does not parse. */
export function parseValue(kind, text) {
  if (text === null || text === undefined) return undefined;
  if (kind === 'flag') return text === 'true' || text === '1' || text === 'on';
  if (kind === 'integer') return /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (kind === 'number') return text.trim() === '' ? Number.NaN : Number(text);
  return text;
}

/** config from defaults overridden by the query; `fields` maps names to {kind, default}. */
export function readUrl(fields, search = location.search) {
  const query = new URLSearchParams(search);
  const config = {};
  for (const [name, field] of Object.entries(fields)) {
    const given = query.get(name);
    config[name] = given === null ? field.default : parseValue(field.kind, given);
  }
  const extra = {};
  for (const name of EXTRA) if (query.has(name)) extra[name] = query.get(name);
  return { config, extra };
}

export function queryString(config, extra = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(config)) {
    if (value === '' || value === null || value === undefined) continue; // no custom points: no `data=`
    if (name === 'data' && config.dataset !== 'custom') continue; // the server would drop it anyway
    query.set(name, String(value));
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  return query.toString();
}

export function writeUrl(config, extra = {}) {
  const url = `${location.pathname}?${queryString(config, { ...extra, ...pageParams })}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
}

/** Set (or with null, drop) one page parameter in the URL at once, keeping the rest. */
export function setPageParam(name, value) {
  pageParams[name] = value ?? undefined;
  const query = new URLSearchParams(location.search);
  if (value === null || value === undefined) query.delete(name);
  else query.set(name, String(value));
  const url = `${location.pathname}?${query}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
}
