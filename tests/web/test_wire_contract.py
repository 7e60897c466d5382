"""The wire contract: every event the stream sends is exactly what app/schemas.py declares,
and docs/wire.md, meta's `encoding` and the OpenAPI text speak of the same fields."""

import re
from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel

from app.schemas import (
    Boundary,
    DoneEvent,
    EncodedStage,
    FieldInfo,
    GridInfo,
    LayerRecord,
    MetaEvent,
    ProbabilityField,
    Readout,
    SnapshotEvent,
    StageRecord,
    TweenRecord,
    wire_encoding,
)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "wire.md").read_text(encoding="utf-8")
MODELS = [
    MetaEvent, GridInfo, FieldInfo, SnapshotEvent, EncodedStage, LayerRecord, Readout, Boundary,
    TweenRecord, ProbabilityField, DoneEvent, StageRecord,
]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [
        "steps=40&every=20&rate=20",
        "dataset=spiral3&width=3&layers=3&residual=true&steps=20&every=10&rate=20",
        "layers=0&steps=20&every=10&rate=20",
        "lr=10&init=he&activation=relu&steps=200&every=50&rate=20",  # may diverge: nulls
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
        assert len(grad_W) == len(layer["W"]) and len(grad_b) == len(layer["b"])
    assert wire == streamed
    for sent, full in zip(
        client.get(f"/api/snapshot?{query}&step=20&form=wire").json()["layers"],
        plain["layers"],
        strict=True,
    ):
        np.testing.assert_allclose(sent["grad_W"], full["grad_W"], rtol=1e-5, atol=1e-6)


RECORD = ("name", "layer", "kind", "t")


def test_every_stage_travels_with_its_record(client, stream):
    """In meta, the stream, the wire snapshot and the plain JSON each stage carries the same
    record (validated against its name by the model), so the page never parses a name."""
    query = "layers=3&width=3&residual=true&steps=20&every=20&rate=20"
    events = stream(query)
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


def test_snapshot_form_is_validated(client):
    response = client.get("/api/snapshot?steps=40&step=20&form=json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "form"]
