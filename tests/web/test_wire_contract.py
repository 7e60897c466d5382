"""The wire contract: every event the stream sends is exactly what app/schemas.py declares,
and docs/wire.md, meta's `encoding` and the OpenAPI text speak of the same fields."""

import base64
import re
from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel

from app.schemas import (
    Boundary,
    DoneEvent,
    EncodedStage,
    ErrorEvent,
    FieldInfo,
    GridInfo,
    LayerRecord,
    Maths,
    MetaEvent,
    ProbabilityField,
    Readout,
    SnapshotEvent,
    StageRecord,
    TweenRecord,
    wire_encoding,
)
from app.web.encode import dequantise_positions

DOC = (Path(__file__).resolve().parents[2] / "docs" / "wire.md").read_text(encoding="utf-8")
MODELS = [
    MetaEvent, GridInfo, FieldInfo, SnapshotEvent, EncodedStage, LayerRecord, Readout, Boundary,
    TweenRecord, ProbabilityField, DoneEvent, StageRecord, Maths, ErrorEvent,
]  # fmt: skip


def float64(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<f8")


@pytest.mark.parametrize(
    "query",
    [
        "steps=40&every=20&rate=20",
        "dataset=spiral3&width=3&layers=3&residual=true&steps=20&every=10&rate=20",
        "layers=0&steps=20&every=10&rate=20",
        "lr=10&init=he&activation=relu&steps=200&every=50&rate=20",  # may diverge: nulls
        "steps=40&every=20&rate=20&positions=1",
        "dataset=spiral3&width=3&layers=3&residual=true&steps=20&every=10&rate=20&positions=1",
    ],
)
def test_every_event_is_the_declared_model(stream, query):
    events = [e for e in stream(query) if e.event in ("meta", "snapshot", "done")]
    assert events[0].event == "meta" and events[-1].event == "done"
    MetaEvent.model_validate(events[0].json())
    for event in events[1:-1]:
        SnapshotEvent.model_validate(event.json())
    DoneEvent.model_validate(events[-1].json())


def test_meta_encoding_is_the_models_own_words(stream):
    meta = stream("steps=20&every=20&rate=20")[0].json()
    assert meta["encoding"] == wire_encoding()
    assert "x = lo + (q + 32768) * (hi - lo) / 65535" in meta["encoding"]["positions"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_docs_name_every_field_of_every_model(model: type[BaseModel]):
    for name in model.model_fields:
        assert re.search(rf'"{name}"|\b{name}\b', DOC), f"docs/wire.md never names {name}"


def test_openapi_describes_the_stream_with_the_models(client):
    stream = client.get("/openapi.json").json()["paths"]["/api/stream"]["get"]
    text = stream["description"]
    for model in (MetaEvent, SnapshotEvent, DoneEvent):
        assert model.__name__ in text
    assert wire_encoding()["positions"] in text


def test_snapshot_in_wire_form_is_the_streams_plus_gradients(client, stream):
    query = "steps=40&every=20&rate=20"
    streamed = [e.json() for e in stream(query) if e.event == "snapshot"][1]  # step 20
    wire = client.get(f"/api/snapshot?{query}&step=20&form=wire").json()
    plain = client.get(f"/api/snapshot?{query}&step=20").json()
    SnapshotEvent.model_validate(wire)
    assert "grad_W" not in streamed["layers"][0]  # the stream stays small
    for layer in [*wire["layers"], wire["readout"]]:
        grad_W, grad_b = layer.pop("grad_W"), layer.pop("grad_b")
        assert np.size(grad_W) == float64(layer["W"]).size
        assert len(grad_b) == float64(layer["b"]).size
    assert wire == streamed
    for sent, full in zip(
        client.get(f"/api/snapshot?{query}&step=20&form=wire").json()["layers"],
        plain["layers"],
        strict=True,
    ):
        np.testing.assert_allclose(sent["grad_W"], full["grad_W"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("query", ["steps=20", "layers=3&width=3&steps=20"])
def test_the_maps_are_the_engines_to_the_bit(client, stream, query):
    """W and b travel as float64: the page's forward pass starts from the engine's own numbers."""
    streamed = [e.json() for e in stream(f"{query}&every=20&rate=20") if e.event == "snapshot"]
    exact = client.get(f"/api/snapshot?{query}&step=20&form=exact").json()
    last = streamed[-1]
    assert last["step"] == 20 and "stages" not in last and "tweens" not in last
    pairs = zip(
        [*last["layers"], last["readout"]], [*exact["layers"], exact["readout"]], strict=True
    )
    for sent, full in pairs:
        W = float64(sent["W"]).reshape(np.shape(full["W"]))
        assert np.array_equal(W, full["W"]) and np.array_equal(float64(sent["b"]), full["b"])


def test_no_tween_matrices_travel_the_page_computes_them(client, stream):
    """2-D and 3-D alike, the page computes each layer's tween frames from W (maths.js;
    tests/browser/test_maths.py holds them to the engine's): a 16-layer width-3 snapshot carried
    ~12 KB of them, more than half its bytes."""
    for query in ("layers=3&width=3&steps=20&every=20&rate=20", "steps=20&every=20&rate=20"):
        last = [e.json() for e in stream(query) if e.event == "snapshot"][-1]
        assert "frames" not in last and "tweens" not in last and "stages" not in last, query


def test_positions_form_keeps_the_positions(client, stream):
    """positions=1: the σ stages' positions travel, within the int16 step of the exact ones."""
    query = "layers=2&steps=20&every=20&rate=20"
    meta, *events = [e.json() for e in stream(f"{query}&positions=1") if e.event != "done"]
    assert meta["positions"] and meta["grid"]["vertices"] and meta["sent_stages"]
    exact = client.get(f"/api/snapshot?{query}&step=20&form=exact").json()
    by_name = {s["name"]: s for s in exact["stages"]}
    for stage in events[-1]["stages"]:
        full = by_name[stage["name"]]
        rows = np.concatenate([full["grid"], full["points"]])
        step = (np.array(stage["hi"]) - np.array(stage["lo"])) / 65535
        drawn = dequantise_positions(stage, meta["dims"])
        assert np.all(np.abs(drawn - rows) <= step)
    assert [t["name"] for t in events[-1]["tweens"]] == [t["name"] for t in exact["tweens"]]


def test_positions_is_validated(client):
    response = client.get("/api/stream?steps=20&positions=maybe")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "positions"]


RECORD = ("name", "layer", "kind", "t")


def test_every_stage_travels_with_its_record(client, stream):
    """In meta, the stream, the wire snapshot and the plain JSON each stage carries the same
    record (validated against its name by the model), so the page never parses a name."""
    query = "layers=3&width=3&residual=true&steps=20&every=20&rate=20"
    events = stream(f"{query}&positions=1")
    meta = MetaEvent.model_validate(events[0].json())
    assert [r.name for r in meta.stage_records] == meta.stages
    records = {r.name: r.model_dump() for r in meta.stage_records}
    streamed = SnapshotEvent.model_validate(
        [e.json() for e in events if e.event == "snapshot"][-1]
    ).model_dump()
    assert [s["name"] for s in streamed["stages"]] == meta.sent_stages
    for stage in streamed["stages"]:
        assert {k: stage[k] for k in RECORD} == records[stage["name"]]
    tweens = [{k: t[k] for k in RECORD} for t in streamed["tweens"]]
    assert {t["kind"] for t in tweens} >= {"stretch", "rotate"}
    plain = client.get(f"/api/snapshot?{query}&step=20").json()
    assert [{k: s[k] for k in RECORD} for s in plain["stages"]] == list(records.values())
    assert [{k: t[k] for k in RECORD} for t in plain["tweens"]] == tweens
    for stage in plain["stages"]:
        StageRecord.model_validate({k: stage[k] for k in RECORD})
    offered = [r.model_dump() for layer in meta.tween_records for r in layer]
    assert all(t in offered for t in tweens)  # the page's frames are records the engine made


def test_snapshot_form_is_validated(client):
    response = client.get("/api/snapshot?steps=40&step=20&form=json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "form"]
