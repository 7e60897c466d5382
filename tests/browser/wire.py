"""Read /api/stream ourselves and decode it in Python, independently of the page's decoder."""

import base64
import json

import httpx
import numpy as np

from app.engine.activations import ACTIVATIONS
from app.engine.warp import Grid, finite_positions
from tests.support import iter_events


def float64(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<f8")


def decode_maps(payload: dict) -> dict:
    """A snapshot with each layer's (and the readout's) float64 W and b as nested lists."""
    for layer in [*payload["layers"], payload["readout"]]:
        b = float64(layer["b"])
        layer["W"] = float64(layer["W"]).reshape(len(b), -1).tolist()
        layer["b"] = b.tolist()
    return payload


def read_stream(base: str, query: str, timeout: float = 60) -> tuple[dict, dict[int, dict]]:
    """(meta, {step: snapshot}) of a whole stream, read until `done`; W and b decoded."""
    meta, snapshots = None, {}
    with httpx.stream("GET", f"{base}/api/stream?{query}", timeout=timeout) as response:
        response.raise_for_status()
        for event in iter_events(response.iter_lines()):
            if event.event == "meta":
                meta = json.loads(event.data)
            elif event.event == "snapshot":
                payload = decode_maps(json.loads(event.data))
                snapshots[payload["step"]] = payload
            elif event.event in ("done", "error"):
                break
    assert meta is not None
    return meta, snapshots


def float32(b64: str, dims: int = 2) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<f4").astype(float).reshape(-1, dims)


def input_rows(meta: dict) -> np.ndarray:
    """(grid vertices + points, 2): the input stage's rows in wire order."""
    grid = meta["grid"]
    if meta["positions"]:
        return np.concatenate([float32(grid["vertices"]), float32(meta["points"])])
    vertices = Grid(grid["lines"], grid["samples"], grid["extent"]).vertices()
    return np.concatenate([vertices, float64(meta["points"]).reshape(-1, 2)])


def stage_positions(meta: dict, snapshot: dict, name: str) -> np.ndarray:
    """(rows, dims) at stage `name`, as docs/wire.md defines it: found by its record, computed
    from the maps with NumPy (a reader independent of the page's maths.js)."""
    dims = meta["dims"]
    sigma = ACTIVATIONS[meta["maths"]["activation"]]
    residual = meta["config"]["residual"]
    a = input_rows(meta)
    computed = {"input": np.pad(a, ((0, 0), (0, dims - 2)))}
    if name == "input":
        return computed[name]
    for k, layer in enumerate(snapshot["layers"], start=1):
        W, b = np.array(layer["W"]), np.array(layer["b"])
        moved = a @ W.T
        shifted = moved + b
        bent = sigma(shifted)
        stages = {"W": moved, "b": shifted, "act": bent}
        if residual:
            bent = stages["res"] = bent + np.pad(a, ((0, 0), (0, bent.shape[1] - a.shape[1])))
        for record in meta["stage_records"]:
            if record["layer"] == k:
                computed[record["name"]] = stages[record["kind"]]
        a = bent
        if name in computed:
            break
    return finite_positions(computed[name])[0]


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
