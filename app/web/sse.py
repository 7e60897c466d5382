"""Server-sent events as bytes, each made once: a snapshot's frame is built when it is computed
and the same bytes object goes to every reader of the run. (FastAPI's event-stream machinery
re-encodes each event per reader and queues one more ahead of the one being sent: 300 readers
of one heavy run held ~3 copies each of a 0.75 MB event.)"""

MEDIA_TYPE = "text/event-stream"
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # nginx: do not buffer
KEEP_ALIVE = b": keep-alive\n\n"


def frame(event: str, data: str, id: int | str | None = None, retry: int | None = None) -> bytes:
    """One event; `data` is a single line (compact JSON), so it needs no splitting."""
    assert "\n" not in data and "\r" not in data
    head = f"event: {event}\n"
    if retry is not None:
        head += f"retry: {retry}\n"
    tail = f"\nid: {id}\n\n" if id is not None else "\n\n"
    return b"".join((head.encode(), b"data: ", data.encode(), tail.encode()))
