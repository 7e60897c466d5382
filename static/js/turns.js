// Embeds on one page take turns with the browser's connections to this server. Over HTTP/1.1 a
// browser opens six per server and queues the rest, so a seventh autoplay embed in sight on a
// course page would show nothing until another's run ended. Embeds of one page share a
// BroadcastChannel (one origin under one top-level site): one whose stream has waited for a
// connection says so, and the one that has held its connection longest, at least a turn, lets it
// go and queues again. It resumes with after= where it was: runs are deterministic, so nothing
// is lost or repeated. Over HTTP/2 (deploy/nginx.conf) no stream waits and no one ever yields.

const CHANNEL = 'layerwarp-turns';
export const WAITING_MS = 1500; // connecting this long: queued behind the browser's limit
export const TURN_MS = 6000; // no one lets go of a connection held for less
const TICK_MS = 500;
const FORGET_MS = 2500; // a holder not heard from for this long has gone (closed, navigated)

export class Turns {
  /** `yieldTurn()` lets the connection go and queues again; `channel` is for tests. */
  constructor(yieldTurn, channel = globalThis.BroadcastChannel ? new BroadcastChannel(CHANNEL) : null) {
    this.yieldTurn = yieldTurn;
    this.channel = channel;
    this.id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    this.phase = 'idle'; // 'connecting' | 'holding' | 'idle'
    this.since = Date.now(); // when the phase began (Date.now: other documents compare it)
    this.holders = new Map(); // id -> {since, heard}: the others holding a connection
    this.ticking = 0; // the interval, only while connecting or holding: an idle page keeps no timer
    if (!channel) return;
    channel.onmessage = ({ data }) => this.hear(data);
  }

  /** The stream's connection changed (StreamClient's `connection` event): our phase follows it. */
  follow(state) {
    this.enter({ connecting: 'connecting', open: 'holding', closed: 'idle' }[state]);
  }

  enter(phase) {
    if (phase === this.phase) return;
    if (this.phase === 'holding') this.post({ type: 'gone' });
    this.phase = phase;
    this.since = Date.now();
    if (!this.channel) return;
    if (phase === 'idle') {
      clearInterval(this.ticking);
      this.ticking = 0;
    } else if (!this.ticking) {
      this.ticking = setInterval(() => this.tick(), TICK_MS);
    }
  }

  post(message) {
    this.channel?.postMessage({ ...message, id: this.id });
  }

  hear(message) {
    const now = Date.now();
    if (message.type === 'holding') {
      this.holders.set(message.id, { since: message.since, heard: now });
    } else if (message.type === 'gone') {
      this.holders.delete(message.id);
    } else if (message.type === 'yield' && message.to === this.id) {
      // asked by several waiters at once, a holder yields once: reopening, it is connecting
      if (this.phase !== 'holding' || now - this.since < TURN_MS) return;
      this.yieldTurn();
    }
  }

  /** Holders say so; a stream that has waited asks the longest holder past a turn to yield. */
  tick() {
    const now = Date.now();
    if (this.phase === 'holding') this.post({ type: 'holding', since: this.since });
    if (this.phase !== 'connecting' || now - this.since < WAITING_MS) return;
    let oldest = null;
    for (const [id, holder] of this.holders) {
      if (now - holder.heard > FORGET_MS) this.holders.delete(id);
      else if (now - holder.since >= TURN_MS && (!oldest || holder.since < oldest.since)) {
        oldest = { id, since: holder.since };
      }
    }
    if (oldest) this.post({ type: 'yield', to: oldest.id });
  }
}
