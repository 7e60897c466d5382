"""The event stream through TestClient: order, ids, contents, resume, divergence, sharing."""

import base64

import numpy as np
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine.training import Trainer
from app.engine.warp import Grid, snapshot
from app.main import create_app
from app.schemas import TrainConfig
from app.web.encode import dequantise_positions

SHORT = "steps=60&every=20&rate=20"

META_KEYS = {
    "version", "config", "classes", "n_train", "n_test", "labels", "dims", "positions", "points",
    "grid", "stages", "stage_records", "tween_records", "sent_stages", "maths", "field", "every",
    "rate", "encoding",
}  # fmt: skip


def of_kind(events, kind):
    return [e for e in events if e.event == kind]


def test_meta_then_snapshots_with_step_ids_then_done(stream):
    events = [e for e in stream(SHORT) if e.event != "comment"]
    assert [e.event for e in events] == ["meta"] + ["snapshot"] * 4 + ["done"]
    assert events[0].retry is not None and events[-1].retry is None
    snapshots = of_kind(events, "snapshot")
    assert [e.id for e in snapshots] == ["0", "20", "40", "60"]
    assert [e.json()["step"] for e in snapshots] == [0, 20, 40, 60]
    assert [e.json()["reason"] for e in snapshots] == [None, None, None, "steps"]
    assert events[-1].json()["reason"] == "steps" and events[-1].json()["step"] == 60


def test_meta_matches_the_engine(stream):
    meta = stream(SHORT)[0].json()
    assert set(meta) == META_KEYS
    config = TrainConfig(steps=60)
    assert meta["config"] == config.model_dump()
    assert (meta["every"], meta["rate"]) == (20, 20.0)
    trainer = Trainer(config)
    data = trainer.data
    # the default form: the points exactly (the page's maths starts from them), the grid the
    # page makes itself, no positions in snapshots
    points = np.frombuffer(base64.b64decode(meta["points"]), "<f8").reshape(-1, 2)
    assert np.array_equal(points, data.X) and meta["positions"] is False
    assert meta["labels"] == data.y.tolist()
    assert (meta["n_train"], meta["n_test"]) == (len(data.y_train), len(data.y_test))
    grid = meta["grid"]
    assert "vertices" not in grid
    assert grid["count"] == 2 * grid["lines"] * grid["samples"] == len(Grid().vertices())
    names = [record.name for record, _ in trainer.network.stages(data.X[:1])]
    assert meta["stages"] == names
    assert meta["sent_stages"] == []
    assert meta["dims"] == 2
    assert meta["maths"]["activation"] == "tanh"


def test_meta_in_the_positions_form(stream):
    meta = stream(f"{SHORT}&positions=1")[0].json()
    assert meta["positions"] is True
    data = Trainer(TrainConfig(steps=60)).data
    points = np.frombuffer(base64.b64decode(meta["points"]), "<f4").reshape(-1, 2)
    np.testing.assert_allclose(points, data.X, rtol=1e-6, atol=1e-7)
    grid = meta["grid"]
    vertices = np.frombuffer(base64.b64decode(grid["vertices"]), "<f4").reshape(-1, 2)
    assert len(vertices) == grid["count"] == 2 * grid["lines"] * grid["samples"]
    np.testing.assert_allclose(vertices, Grid().vertices(), atol=1e-6)
    assert meta["sent_stages"] == [n for n in meta["stages"] if n.endswith(".act")]


def test_snapshot_positions_decode_to_the_engine_positions(stream):
    events = stream("steps=40&every=40&rate=20&width=3&residual=true&layers=3&positions=1")
    meta, first = events[0].json(), of_kind(events, "snapshot")[-1].json()
    config = TrainConfig(steps=40, width=3, residual=True, layers=3)
    trainer = Trainer(config)
    for _ in trainer.run():
        pass
    expected = {s.name: s for s in snapshot(trainer.network, trainer.data, 40).stages}
    assert [s["name"] for s in first["stages"]] == meta["sent_stages"]
    assert meta["sent_stages"] == ["1.act", "1.res", "2.act", "2.res", "3.act", "3.res"]
    for encoded in first["stages"]:
        decoded = dequantise_positions(encoded, meta["dims"])
        stage = expected[encoded["name"]]
        truth = np.concatenate([stage.grid, stage.points])
        step = (np.array(encoded["hi"]) - np.array(encoded["lo"])) / 65535
        assert np.all(np.abs(decoded - truth) <= step * 0.51 + 1e-12)


def test_resume_after_last_event_id_equals_the_unbroken_stream(stream):
    query = "steps=100&every=20&rate=20&seed=3"
    unbroken = of_kind(stream(query), "snapshot")
    resumed = stream(query, {"Last-Event-ID": "40"})
    assert resumed[0].event == "meta"
    after = of_kind(resumed, "snapshot")
    assert [e.id for e in after] == ["60", "80", "100"]
    assert [e.data for e in after] == [e.data for e in unbroken[3:]]
    by_query = of_kind(stream(query + "&after=40"), "snapshot")
    assert [e.data for e in by_query] == [e.data for e in after]


def test_resume_after_the_last_step_sends_only_done(stream):
    events = stream("steps=40&every=20&rate=20", {"Last-Event-ID": "40"})
    assert [e.event for e in events if e.event != "comment"] == ["meta", "done"]


def test_a_diverging_run_ends_with_done_diverged(stream):
    # linear layers with plain SGD at lr=10 overflow within a few steps
    events = stream("lr=10&activation=linear&optimizer=sgd&every=2&rate=20&steps=50&positions=1")
    snapshots = of_kind(events, "snapshot")
    done = of_kind(events, "done")[0].json()
    assert done["reason"] == "diverged"
    assert done["step"] == snapshots[-1].json()["step"] < 50
    for event in events:
        if event.data:
            event.json()  # raises on NaN or Infinity
    # the last finite state has weights near 1e99: the positions overflow and arrive clipped
    assert any(stage["clipped"] for stage in snapshots[-1].json()["stages"])


def test_with_every_step_sent_divergence_comes_in_done(stream):
    query = "lr=10&activation=linear&optimizer=sgd&every=1&rate=20&steps=50"
    events = stream(query)
    snapshots = of_kind(events, "snapshot")
    done = of_kind(events, "done")[0].json()
    assert done == {**done, "reason": "diverged", "step": int(snapshots[-1].id)}
    resumed = stream(query, {"Last-Event-ID": snapshots[-2].id})
    assert [e.data for e in of_kind(resumed, "snapshot")] == [snapshots[-1].data]
    assert of_kind(resumed, "done")[0].json() == done


def test_an_identical_config_is_computed_once(client, stream):
    hub = client.app.state.hub
    query = "steps=80&every=20&rate=20&seed=11"
    first = stream(query)
    computed = hub.tasks_done
    second = stream(query)
    assert hub.tasks_done == computed
    assert [e.data for e in second] == [e.data for e in first]


def test_keep_alive_comments_while_waiting():
    settings = Settings(compute_processes=1, keepalive_s=0.001)
    # a second snapshot 1,000 training steps after the first: a wait no machine skips (with 20
    # steps the whole run could arrive within the millisecond, and no comment was due)
    query = "/api/stream?steps=2000&every=1000&rate=20"
    with TestClient(create_app(settings)) as client, client.stream("GET", query) as response:
        text = response.read().decode()
    assert ": keep-alive" in text


def test_a_stream_ends_at_the_duration_limit_and_can_continue():
    settings = Settings(compute_processes=1, stream_seconds=0.5)
    with TestClient(create_app(settings)) as client:
        query = "/api/stream?every=1&rate=20"
        with client.stream("GET", query) as response:
            text = response.read().decode()
        assert "event: done" in text and '"reason":"duration"' in text
        last = text.rsplit("id: ", 1)[1].split("\n", 1)[0]
        with client.stream("GET", f"{query}&after={last}") as response:
            first = next(line for line in response.iter_lines() if line.startswith("id: "))
    assert int(first[4:]) == int(last) + 1
