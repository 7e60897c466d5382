"""docs/notebook.ipynb runs end to end in a real kernel (nbclient + ipykernel), its figures are
drawn offline, and the positions they show are /api/snapshot's for the config and step they
name (each point trace says which in its `meta`)."""

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import nbformat
import numpy as np
import pytest
from fastapi.testclient import TestClient
from nbclient import NotebookClient

from app.config import Settings
from app.main import create_app

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
PLOTLY = "application/vnd.plotly.v1+json"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """The notebook run in a fresh kernel from an empty folder, this checkout on its path."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    folder = tmp_path_factory.mktemp("notebook")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    client = NotebookClient(
        notebook,
        timeout=600,  # generous: the suite may share two cores
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute(env=env)
    return notebook


@pytest.fixture(scope="module")
def api() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(compute_processes=1))) as test_client:
        yield test_client


def figures(notebook: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return [
        output["data"][PLOTLY]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if PLOTLY in output.get("data", {})
    ]


def values(array: Any) -> np.ndarray:
    """A plotly JSON array: a list, or the typed-array form {dtype, bdata} plotly ≥ 6 writes."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.array(array, dtype=float)


def route_snapshot(api: TestClient, config: dict[str, Any], step: int, cache: dict) -> dict:
    query = urlencode({**{k: v for k, v in config.items() if v is not None}, "step": step})
    if query not in cache:
        response = api.get(f"/api/snapshot?{query}")
        assert response.status_code == 200, response.text
        cache[query] = response.json()
    return cache[query]


def test_the_notebook_runs_and_every_output_is_offline(executed) -> None:
    errors = [
        output
        for cell in executed.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    outputs = [output for cell in executed.cells for output in cell.get("outputs", [])]
    html = [output.get("data", {}).get("text/html", "") for output in outputs]
    inlined = [text for text in html if "* plotly.js v" in text]
    assert len(inlined) == 1  # plotly.js, once, from the plotly package
    assert inlined[0].count("<script") == 2 and "<script src" not in inlined[0]
    rest = json.dumps([out for out, text in zip(outputs, html, strict=True) if text not in inlined])
    # nothing else loads a script or names a CDN (plotly.js itself names one, for geo maps only)
    assert "<script src" not in rest and "cdn." not in rest
    # every figure also has a text/html form that draws itself with it
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            if PLOTLY in output.get("data", {}):
                assert "Plotly.newPlot" in output["data"]["text/html"]
    assert len(figures(executed)) == 5  # figure, filmstrip, animation, compare, curves


def test_the_notebooks_figures_show_the_apis_positions(executed, api: TestClient) -> None:
    cache: dict[str, dict] = {}
    checked = 0
    for figure in figures(executed):
        traces = list(figure["data"])
        for frame in figure.get("frames", []):
            traces += frame["data"]
        for trace in traces:
            meta = trace.get("meta") or {}
            if "stage" not in meta or "~" in meta["stage"]:  # tweens: checked in test_api
                continue
            snap = route_snapshot(api, meta["config"], meta["step"], cache)
            assert snap["step"] == meta["step"]
            stage = next(s for s in snap["stages"] if s["name"] == meta["stage"])
            rows = values(trace["customdata"]).astype(int)
            points = np.array(stage["points"])
            for axis, name in enumerate("xyz"[: points.shape[1]]):
                np.testing.assert_allclose(values(trace[name]), points[rows, axis], atol=2e-6)
            checked += 1
    assert checked > 100  # the still figures, every filmstrip panel and the animation's stages


def test_the_notebooks_curves_end_at_the_apis_metrics(executed, api: TestClient) -> None:
    (curves,) = [f for f in figures(executed) if f["layout"]["title"]["text"].startswith("loss")]
    cache: dict[str, dict] = {}
    for trace in curves["data"]:
        config, metric = trace["meta"]["config"], trace["meta"]["metric"]
        steps = values(trace["x"])
        snap = route_snapshot(api, config, int(steps[-1]), cache)
        assert values(trace["y"])[-1] == pytest.approx(snap["metrics"][metric], abs=1e-9)
