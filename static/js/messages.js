// The embed's postMessage protocol (README, "Embed"). Every message, both ways, is a plain
// object {source: "layerwarp", type, …}. Everything the embed posts is public (the config is in
// the iframe's own URL, the rest is what the picture shows), so it posts to the parent with
// targetOrigin "*": any page may embed Layerwarp and hear it. Incoming messages are accepted
// from any origin but only from the parent window, and only when well formed.

export const PROTOCOL = 'layerwarp';

/** type → the fields an incoming message must carry, with a check for each. */
const INCOMING = {
  play: {},
  pause: {},
  setStage: { stage: (v) => (typeof v === 'string' && v !== '') || Number.isInteger(v) },
  setConfig: { config: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) },
  trace: { index: (v) => Number.isInteger(v) && v >= 0 },
};

export function post(type, body = {}) {
  if (window.parent === window) return; // not embedded: nobody to tell
  window.parent.postMessage({ ...body, source: PROTOCOL, type }, '*');
}

/**
 * The reason an incoming message is malformed, or '' when it is well formed. Messages of other
 * protocols (no `source: "layerwarp"`) are not ours and are ignored silently (null).
 */
export function problem(message) {
  if (!message || typeof message !== 'object' || message.source !== PROTOCOL) return null;
  const spec = Object.hasOwn(INCOMING, message.type) ? INCOMING[message.type] : null; // not `toString`
  if (!spec) return `unknown message type ${JSON.stringify(message.type)}; expected one of ${Object.keys(INCOMING).join(', ')}`;
  for (const [name, ok] of Object.entries(spec)) {
    if (!ok(message[name])) return `${message.type} needs a valid "${name}"`;
  }
  return '';
}

/** Call handlers[type](message) for each well-formed message from the parent; answer the rest. */
export function listen(handlers) {
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || window.parent === window) return;
    const message = event.data;
    const reason = problem(message);
    if (reason === null) return;
    if (reason) {
      post('error', { request: message.type ?? null, message: reason });
      return;
    }
    handlers[message.type](message);
  });
}
