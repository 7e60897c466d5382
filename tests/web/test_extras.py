"""Lessons, custom data (CSV and URL form) and exports over HTTP."""

import json

import numpy as np
from fastapi.testclient import TestClient

from app.engine.custom_data import decode_points, encode_points
from app.engine.training import Trainer
from app.lessons import LESSONS
from app.schemas import TrainConfig


def test_lessons_list_every_step_with_both_languages(client: TestClient) -> None:
    lessons = client.get("/api/lessons").json()
    assert [lesson["id"] for lesson in lessons] == [step.id for step in LESSONS]
    for lesson in lessons:
        TrainConfig(**lesson["config"])  # every lesson config is valid as sent
        assert lesson["title"]["zh-CN"] and lesson["text"]["en"]


def test_csv_upload_names_each_bad_row_by_line(client: TestClient) -> None:
    body = "x,y,label\n0.1,0.2,0\nfoo,1,1\n0.5,0.5,1\n9,9,1\n0.2,0.2,7\n"
    response = client.post("/api/custom-data", content=body, headers={"content-type": "text/csv"})
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert "line 3" in message and "line 5" in message and "line 6" in message
    assert "line 2" not in message and "line 4" not in message


def test_a_csv_saved_as_csv_utf8_by_a_spreadsheet_is_read(client: TestClient) -> None:
    """Spreadsheets' "CSV UTF-8" starts with a byte-order mark (it was refused at line 1)."""
    rows = "x,y,label\r\n0.1,0.2,0\r\n-0.5,0.5,1\r\n0.3,0.1,0\r\n-0.2,-0.6,1\r\n"
    plain = client.post("/api/custom-data", content=rows.encode())
    marked = client.post("/api/custom-data", content=b"\xef\xbb\xbf" + rows.encode())
    assert marked.status_code == 200 == plain.status_code
    assert marked.json() == plain.json() and marked.json()["points"] == 4


def test_csv_upload_gives_the_compact_form_that_trains(client: TestClient) -> None:
    rows = ["0.1,0.2,0", "0.3,0.1,0", "-0.5,0.5,1", "-0.2,-0.6,1", "0.7,-0.7,2", "0.6,-0.4,2"]
    response = client.post("/api/custom-data", content="\n".join(rows))
    assert response.status_code == 200
    result = response.json()
    assert result["points"] == 6 and result["classes"] == 3
    X, y = decode_points(result["data"])
    np.testing.assert_allclose(X[0], [0.1, 0.2])
    assert y.tolist() == [0, 0, 1, 1, 2, 2]
    snap = client.get(
        "/api/snapshot",
        params={"dataset": "custom", "data": result["data"], "layers": 2, "width": 3, "step": 5},
    )
    assert snap.status_code == 200
    body = snap.json()
    assert len(body["labels"]) == 6
    assert sorted(body["labels"]) == [0, 0, 1, 1, 2, 2]


def test_oversized_or_empty_csv_is_refused(client: TestClient) -> None:
    assert client.post("/api/custom-data", content="").status_code == 422
    big = "0.1,0.1,0\n" * 8000
    response = client.post("/api/custom-data", content=big)
    assert response.status_code in (413, 422)


def test_custom_data_in_the_url_is_validated_like_any_field(client: TestClient) -> None:
    for bad in ("@@@", "AAAA", ""):
        response = client.get("/api/config", params={"dataset": "custom", "data": bad})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "data"]
    good = encode_points(np.array([[0, 0], [0.1, 0], [1, 1], [1, 0.9]]), np.array([0, 0, 1, 1]))
    assert client.get("/api/config", params={"dataset": "custom", "data": good}).status_code == 200
    # data is dropped for generated data sets: configs and URLs stay canonical
    config = client.get("/api/config", params={"dataset": "xor", "data": good}).json()
    assert config["data"] is None


def test_run_export_replays_to_the_same_weights(client: TestClient) -> None:
    response = client.get("/api/export/run", params={"preset": "xor", "steps": 60, "every": 20})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    record = response.json()
    assert record["format"] == "layerwarp-run"
    assert [s["step"] for s in record["snapshots"]] == [0, 20, 40, 60]
    config = TrainConfig(**record["config"])
    recorded = {s["step"]: s for s in record["snapshots"]}
    for step in Trainer(config).run():
        if step.step in recorded:
            np.testing.assert_allclose(
                step.network.W[0], recorded[step.step]["layers"][0]["W"], atol=1e-8
            )
            np.testing.assert_allclose(
                step.network.b[-1], recorded[step.step]["readout"]["b"], atol=1e-8
            )


def test_animation_export_is_a_standalone_page(client: TestClient) -> None:
    response = client.get("/api/export/animation", params={"preset": "xor", "step": 30})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<script src=" not in html  # plotly.js is inlined
    assert json.dumps("1.act") in html


def test_exports_validate_like_everything_else(client: TestClient) -> None:
    response = client.get("/api/export/animation", params={"layers": 99, "step": 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "layers"]
    response = client.get("/api/export/run", params={"every": 0})
    assert response.status_code == 422
