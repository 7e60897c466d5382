"""One client's event stream: meta, then paced snapshots from a shared run, then done.

The generator owns nothing but its pace and its place (`after`, the last step it sent), which
is also the event id: a reconnect with Last-Event-ID continues from there on any process.
"""

import time
from collections.abc import AsyncIterator

from app.config import Settings
from app.schemas import DoneEvent, ErrorEvent, TrainConfig
from app.web import sse
from app.web.hub import Hub, RunFailed

MESSAGES = {
    "steps": "training finished its steps",
    "converged": "training converged: the loss is (almost) zero",
    "diverged": "training diverged: the loss or a weight stopped being finite; "
    "the last snapshot is the last finite state (try a smaller lr)",
    "duration": "this stream reached the server's time limit; reconnect to continue",
}


def done(reason: str, step: int) -> bytes:
    event = DoneEvent(reason=reason, step=step, message=MESSAGES[reason])
    return sse.frame("done", event.model_dump_json())


async def events(
    hub: Hub,
    settings: Settings,
    stream_id: int,
    config: TrainConfig,
    every: int,
    rate: float,
    after: int,
    positions: bool = False,
) -> AsyncIterator[bytes]:
    """Yield the stream of one client, as bytes (a snapshot's are the run's own, shared by its
    readers); `after` is the last step it already has (−1: none)."""
    started = time.monotonic()
    deadline = started + settings.stream_seconds
    interval = 1.0 / rate
    run = hub.run_for(config, every, positions)
    run.attach(stream_id, after)
    try:
        yield sse.frame("meta", await run.get_meta_json(rate), retry=settings.retry_ms)
        next_send = time.monotonic()
        while True:
            if hub.stopping:
                return  # no `done`: the client reconnects with Last-Event-ID, elsewhere
            now = time.monotonic()
            if now >= deadline:
                yield done("duration", max(after, 0))
                return
            wait = min(settings.keepalive_s, deadline - now)
            try:
                delivery = await run.get(stream_id, after, wait)
            except LookupError:  # nothing after `after`: the run's last step, never past it
                last = run.end[0] if run.end else config.steps
                yield done(run.end[1] if run.end else "steps", min(max(after, 0), last))
                return
            if delivery is None:
                if not hub.stopping:
                    yield sse.KEEP_ALIVE
                continue
            delay = next_send - time.monotonic()
            if delay > 0:
                await hub.pause(min(delay, max(deadline - time.monotonic(), 0)))
                if hub.stopping:
                    return
            yield delivery.event
            next_send = time.monotonic() + interval
            after = delivery.step
            if delivery.reason is not None:
                yield done(delivery.reason, delivery.step)
                return
    except RunFailed as error:
        yield sse.frame("error", ErrorEvent(message=str(error)).model_dump_json())
    finally:
        run.detach(stream_id)
