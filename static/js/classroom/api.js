// The class's HTTP contract (docs/classroom.md) as calls: each answers {ok, status, body}, and
// never throws for a refusal, so the caller can say in the reader's language what went wrong.

const JSON_HEADERS = { 'Content-Type': 'application/json' };

async function call(method, url, body) {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : JSON_HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', // the teacher's key is an HttpOnly cookie
    });
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const retryAfter = Number(response.headers.get('Retry-After')) || null;
    return { ok: response.ok, status: response.status, body: parsed, retryAfter };
  } catch {
    return { ok: false, status: 0, body: null, retryAfter: null }; // the server is unreachable
  }
}

/** The messages of a 422's detail, by the field each names (`config.lr` → `lr`). */
export function fieldErrors(body) {
  const errors = {};
  for (const item of Array.isArray(body?.detail) ? body.detail : []) {
    const loc = (item.loc ?? []).filter((part) => part !== 'body');
    errors[loc.at(-1) ?? ''] = item.msg;
  }
  return errors;
}

/** A new class, led from this browser (the answer sets its key as a cookie). */
export const createClass = (state) => call('POST', '/api/class', { state });

export class ClassApi {
  constructor(code) {
    this.code = code;
    this.base = `/api/class/${encodeURIComponent(code)}`;
  }

  info() { return call('GET', this.base); }
  move(state) { return call('POST', `${this.base}/state`, state); }
  end() { return call('DELETE', this.base); }
  setChallenge(challenge) { return call('PUT', `${this.base}/challenge`, challenge); }
  submit(config, nickname) { return call('POST', `${this.base}/submissions`, { config, nickname }); }

  /** The class's event stream: a teacher's (the roster too), or a student's, following or not. */
  events(role, following = true) {
    const query = new URLSearchParams(); // only what differs from a following student's
    if (role !== 'student') query.set('role', role);
    if (!following) query.set('following', '0');
    return new EventSource(`${this.base}/events${query.size ? `?${query}` : ''}`);
  }
}
