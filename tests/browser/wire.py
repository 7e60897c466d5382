"""Read /api/stream ourselves and decode it in Python, independently of the page's decoder."""

import base64
import json

import httpx
import numpy as np

from app.web.encode import dequantise_positions
from tests.support import iter_events


def read_stream(base: str, query: str, timeout: float = 60) -> tuple[dict, dict[int, dict]]:
    """(meta, {step: snapshot}) of a whole stream, read until `done`."""
    meta, snapshots = None, {}
    with httpx.stream("GET", f"{base}/api/stream?{query}", timeout=timeout) as response:
        response.raise_for_status()
        for event in iter_events(response.iter_lines()):
            if event.event == "meta":
                meta = json.loads(event.data)
            elif event.event == "snapshot":
                payload = json.loads(event.data)
                snapshots[payload["step"]] = payload
            elif event.event in ("done", "error"):
                break
    assert meta is not None
    return meta, snapshots


def float32(b64: str, dims: int = 2) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<f4").astype(float).reshape(-1, dims)


def input_rows(meta: dict) -> np.ndarray:
    """(grid vertices + points, 2): the input stage's rows in wire order."""
    return np.concatenate([float32(meta["grid"]["vertices"]), float32(meta["points"])])


def stage_positions(meta: dict, snapshot: dict, name: str) -> np.ndarray:
    """(rows, dims) at stage `name`, as docs/wire.md defines it: found by its record."""
    dims = meta["dims"]
    sent = {s["name"]: s for s in snapshot["stages"]}
    record = next(r for r in meta["stage_records"] if r["name"] == name)
    if record["kind"] == "input":
        rows = input_rows(meta)
        return np.pad(rows, ((0, 0), (0, dims - 2)))
    if name in sent:
        return dequantise_positions(sent[name], dims)
    k = record["layer"]
    layer = snapshot["layers"][k - 1]
    W, b = np.array(layer["W"]), np.array(layer["b"])
    if k == 1:
        previous = input_rows(meta)
    else:  # layer k − 1's output: its last stage
        output = [r for r in meta["stage_records"] if r["layer"] == k - 1][-1]
        previous = stage_positions(meta, snapshot, output["name"])
    moved = previous[:, : W.shape[1]] @ W.T
    return moved if record["kind"] == "W" else moved + b


def groups(meta: dict) -> list[tuple[int, str, np.ndarray]]:
    """(class, part, row indices) in the order the page draws its point traces."""
    labels = np.array(meta["labels"])
    n_grid, n_train = meta["grid"]["count"], meta["n_train"]
    out = []
    for c in range(meta["classes"]):
        for part in ("train", "test"):
            index = np.arange(len(labels))
            mask = (labels == c) & ((index < n_train) if part == "train" else (index >= n_train))
            out.append((c, part, n_grid + index[mask]))
    return out
