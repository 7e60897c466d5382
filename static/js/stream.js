// EventSource client for GET /api/stream. EventSource reconnects by itself and sends
// Last-Event-ID, so a dropped connection resumes after the last snapshot it saw; this client
// only reports that it happened, and closes on `done` so it never reconnects to a finished run.
// Every change of its connection is one `connection` event (state: connecting, open, closed).

import { decodeMeta, Snapshot } from './decode.js';

export class StreamClient extends EventTarget {
  constructor() {
    super();
    this.source = null;
    this.meta = null;
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  open(url) {
    this.close();
    this.meta = null;
    this.lost = false;
    const source = new EventSource(url);
    this.source = source;
    this.emit('connection', { state: 'connecting' });
    source.addEventListener('open', () => {
      this.emit('connection', { state: 'open' });
      if (this.lost) this.emit('status', { kind: 'resumed' });
      this.lost = false;
    });
    source.addEventListener('meta', (event) => {
      if (this.meta) return; // a resumed connection repeats meta; the run is the same
      this.meta = decodeMeta(JSON.parse(event.data));
      this.emit('meta', { meta: this.meta });
    });
    source.addEventListener('snapshot', (event) => {
      if (!this.meta) return;
      const snapshot = Snapshot.fromWire(this.meta, JSON.parse(event.data));
      this.emit('snapshot', { snapshot });
    });
    source.addEventListener('done', (event) => {
      this.close();
      this.emit('done', JSON.parse(event.data));
    });
    source.addEventListener('error', (event) => {
      if (source !== this.source) return;
      if (event.data) {
        // the server's own `event: error`, not a connection failure
        this.close();
        this.emit('servererror', JSON.parse(event.data));
      } else if (source.readyState === EventSource.CLOSED) {
        // refused outright (422, 503, …): EventSource cannot read why, the caller asks
        this.close();
        this.emit('refused', { hadMeta: Boolean(this.meta) });
      } else {
        this.lost = true;
        this.emit('connection', { state: 'connecting' });
        this.emit('status', { kind: 'reconnecting' });
      }
    });
  }

  close() {
    if (!this.source) return;
    this.source.close();
    this.source = null;
    this.emit('connection', { state: 'closed' });
  }
}
