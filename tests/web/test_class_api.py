"""Classes over HTTP, in process: start, lead (and a forged lead), challenge, submissions measured
by the server (a forged accuracy is refused and never read), refusals and their statuses."""

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.classroom.codes import ALPHABET
from app.config import Settings
from app.engine.training import Trainer
from app.engine.warp import snapshot
from app.main import create_app
from app.schemas import TrainConfig

QUICK = {"dataset": "xor", "points": 200, "layers": 1, "width": 3, "steps": 200}  # test acc 0.96


@pytest.fixture(scope="module")
def app_client(tmp_path_factory) -> Iterator[TestClient]:
    settings = Settings(
        compute_processes=1,
        data_dir=tmp_path_factory.mktemp("classes"),
        class_misses_per_hour=1000,
        class_creates_per_hour=1000,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def start(client: TestClient, **body) -> tuple[str, str]:
    response = client.post("/api/class", json=body)
    assert response.status_code == 201, response.text
    client.cookies.clear()  # each test says whether it is the teacher
    return response.json()["code"], response.json()["key"]


def wait_measured(client: TestClient, code: str, count: int, timeout: float = 120) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = client.get(f"/api/class/{code}/board").json()["entries"]
        if len(entries) >= count and all(e["status"] in ("measured", "failed") for e in entries):
            return entries
        time.sleep(0.1)
    raise AssertionError(f"board of {code} not measured: {entries}")


def test_start_gives_a_readable_code_a_key_cookie_and_links(app_client):
    response = app_client.post("/api/class", json={})
    assert response.status_code == 201
    body = response.json()
    code = body["code"]
    assert len(code) == 6 and set(code) <= set(ALPHABET)
    assert not set(code) & set("0O1IL")
    assert body["join_url"].endswith(f"/join/{code}") and body["key"] not in body["join_url"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"layerwarp_class_{code}={body['key']};")
    assert (
        "HttpOnly" in cookie and "SameSite=strict" in cookie and f"Path=/api/class/{code}" in cookie
    )
    # the browser that started it leads; another does not
    assert app_client.get(f"/api/class/{code}").json()["teacher"] is True
    app_client.cookies.clear()
    info = app_client.get(f"/api/class/{code.lower()}").json()
    assert info["teacher"] is False and info["code"] == code
    assert info["roster"] == {"joined": 0, "following": 0}


def test_a_lead_without_the_key_is_refused(app_client):
    code, key = start(app_client)
    _, other_key = start(app_client)
    for headers in ({}, {"X-Class-Key": "forged"}, {"X-Class-Key": other_key}):
        response = app_client.post(
            f"/api/class/{code}/state", json={"stage": "1.b"}, headers=headers
        )
        assert response.status_code == 403, headers
        assert app_client.delete(f"/api/class/{code}", headers=headers).status_code == 403
    assert app_client.get(f"/api/class/{code}").json()["state"]["stage"] is None
    moved = app_client.post(
        f"/api/class/{code}/state", json={"stage": "1.b"}, headers={"X-Class-Key": key}
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "1.b"


def test_a_move_replaces_only_what_it_names(app_client):
    code, key = start(app_client)
    lead = {"X-Class-Key": key}
    first = app_client.post(
        f"/api/class/{code}/state",
        json={"config": QUICK, "lesson": "three-moves", "stage": "1.W", "trace": 7},
        headers=lead,
    ).json()
    second = app_client.post(
        f"/api/class/{code}/state", json={"mode": "explore", "playing": False}, headers=lead
    ).json()
    assert second["seq"] == first["seq"] + 1
    assert second["stage"] == "1.W" and second["trace"] == 7 and second["lesson"] == "three-moves"
    assert second["mode"] == "explore" and second["playing"] is False
    assert second["config"] == TrainConfig(**QUICK).model_dump()
    # the query the students stream is this config, at the class's every
    config = app_client.get(f"/api/config?{second['query']}").json()
    assert config == second["config"] and f"every={second['every']}" in second["query"]
    cleared = app_client.post(f"/api/class/{code}/state", json={"trace": None}, headers=lead)
    assert cleared.json()["trace"] is None and cleared.json()["stage"] == "1.W"
    # the teacher's timeline: a step (paused or scrubbed there), kept until cleared
    assert cleared.json()["step"] is None
    paused = app_client.post(f"/api/class/{code}/state", json={"step": 120}, headers=lead).json()
    assert paused["step"] == 120
    kept = app_client.post(f"/api/class/{code}/state", json={"stage": "1.act"}, headers=lead)
    assert kept.json()["step"] == 120
    newest = app_client.post(f"/api/class/{code}/state", json={"step": None}, headers=lead)
    assert newest.json()["step"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"config": {"layers": 99}}, "layers"),
        ({"stage": "<script>"}, "stage"),
        ({"lesson": "no-such-lesson"}, "lesson"),
        ({"mode": "chaos"}, "mode"),
        ({"trace": -1}, "trace"),
        ({"step": -1}, "step"),
        ({"step": 20001}, "step"),
        ({"step": 1.5}, "step"),
        ({"colour": "red"}, "colour"),
        ({"trace": False}, "trace"),  # JSON types as the schema says: no bool for a number
        ({"every": "5"}, "every"),
        ({"playing": 1}, "playing"),
        ({"config": {"l2": False}}, "l2"),
        ({"config": {"width": "3"}}, "width"),
    ],
)
def test_a_bad_move_is_a_422_naming_the_field(app_client, body, field):
    code, key = start(app_client)
    response = app_client.post(f"/api/class/{code}/state", json=body, headers={"X-Class-Key": key})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_the_board_ranks_what_the_server_measured_never_a_claim(app_client):
    code, key = start(app_client)
    lead = {"X-Class-Key": key}
    challenge = {"data": {"dataset": "xor", "points": 200}, "goal": 0.9, "rank_by": "parameters"}
    assert (
        app_client.put(f"/api/class/{code}/challenge", json=challenge, headers=lead).status_code
        == 200
    )
    perceptron = {**QUICK, "layers": 0}  # xor is not linearly separable: about half right
    forged = app_client.post(
        f"/api/class/{code}/submissions",
        json={"config": perceptron, "nickname": "mallory", "accuracy": 1.0},
    )
    assert forged.status_code == 422 and forged.json()["detail"][0]["loc"] == ["body", "accuracy"]
    for config, nickname in ((perceptron, "<b>Mallory</b>"), (QUICK, "Ada")):
        response = app_client.post(
            f"/api/class/{code}/submissions", json={"config": config, "nickname": nickname}
        )
        assert response.status_code == 202, response.text
        assert response.json()["status"] == "queued"
    entries = wait_measured(app_client, code, 2)
    for entry in entries:
        config = TrainConfig(**entry["config"])
        trainer = Trainer(config)
        last = list(trainer.run())[-1]
        expected = snapshot(trainer.network, trainer.data, last.step, config.l2).metrics
        assert entry["measured"]["acc_test"] == pytest.approx(expected["acc_test"], abs=1e-9)
        assert entry["measured"]["parameters"] == trainer.network.layout.size()
    top, bottom = entries
    assert top["nickname"] == "Ada" and top["rank"] == 1 and top["meets_goal"] is True
    assert bottom["nickname"] == "<b>Mallory</b>"  # plain text, as typed
    assert bottom["rank"] is None and bottom["measured"]["acc_test"] < 0.9
    assert top["run_url"].startswith("/?") and "layers=1" in top["run_url"]


def test_a_submission_must_use_the_challenges_data(app_client):
    code, key = start(app_client)
    lead = {"X-Class-Key": key}
    url = f"/api/class/{code}/submissions"
    assert app_client.post(url, json={"config": QUICK}).status_code == 409  # no challenge yet
    challenge = {"data": {"dataset": "xor", "points": 200}}
    app_client.put(f"/api/class/{code}/challenge", json=challenge, headers=lead)
    response = app_client.post(url, json={"config": {**QUICK, "noise": 0}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "config", "noise"]
    bad = app_client.post(url, json={"config": {**QUICK, "lr": 99}})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "config", "lr"]
    long_name = app_client.post(url, json={"config": QUICK, "nickname": "x" * 21})
    assert long_name.status_code == 422 and long_name.json()["detail"][0]["loc"][-1] == "nickname"
    control = app_client.post(url, json={"config": QUICK, "nickname": "a\u202eb"})
    assert control.status_code == 422


def test_ended_and_unknown_classes(app_client):
    code, key = start(app_client)
    assert app_client.get("/api/class/ZZZZZZ").status_code == 404
    assert app_client.get("/api/class/0OIL11").status_code == 404
    assert app_client.delete(f"/api/class/{code}", headers={"X-Class-Key": key}).status_code == 204
    gone = app_client.get(f"/api/class/{code}")
    assert gone.status_code == 410 and gone.json()["reason"] == "ended"
    assert app_client.get(f"/api/class/{code}/events").status_code == 410
    assert app_client.get(f"/api/class/{code}/board").status_code == 200  # the board stays


def test_join_pages_say_what_is_wrong_in_the_students_language(app_client):
    code, key = start(app_client)
    live = app_client.get(f"/join/{code.lower()}?lang=zh-CN", follow_redirects=False)
    assert live.status_code == 303 and live.headers["location"] == f"/?class={code}&lang=zh-CN"
    missing = app_client.get("/join/ZZZZZZ", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert missing.status_code == 404 and "没有代码为 ZZZZZZ 的课堂" in missing.text
    assert 'lang="zh-CN"' in missing.text
    english = app_client.get("/join/ZZZZZZ", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "There is no class ZZZZZZ" in english.text
    app_client.delete(f"/api/class/{code}", headers={"X-Class-Key": key})
    ended = app_client.get(f"/join/{code}")
    assert ended.status_code == 410 and f"Class {code} has ended" in ended.text
    form = app_client.get("/join")
    assert form.status_code == 200 and 'name="code"' in form.text
    typed = app_client.get(f"/join?code={code.lower()}", follow_redirects=False)
    assert typed.status_code == 303 and typed.headers["location"] == f"/join/{code}"
    escaped = app_client.get("/join/<b>x</b>")
    assert escaped.status_code == 404 and "<b>x" not in escaped.text


def test_a_move_may_write_an_integer_as_a_whole_float(app_client):
    code, key = start(app_client, state={"every": 5.0, "config": {"layers": 2.0}})
    info = app_client.get(f"/api/class/{code}").json()
    assert info["state"]["every"] == 5 and info["state"]["config"]["layers"] == 2


def test_a_wrong_method_is_told_every_method_of_the_path(app_client):
    for path, allowed in (("/api/class/ABCDEF", "GET, DELETE"), ("/api/class", "POST")):
        response = app_client.request("PATCH", path)
        assert response.status_code == 405 and response.headers["allow"] == allowed


def test_bodies_must_be_json(app_client):
    response = app_client.post(
        "/api/class", content="state=x", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_the_qr_code_is_an_svg_of_the_join_link(app_client):
    import segno

    code, _ = start(app_client)
    response = app_client.get(f"/api/class/{code}/qr.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith("<svg") and "viewBox" in response.text
    join = app_client.get(f"/api/class/{code}").json()["join_url"]
    assert segno.make(join, error="m").symbol_size(border=4)[0] == int(
        response.text.split('viewBox="0 0 ')[1].split()[0]
    )
    assert app_client.get("/api/class/ZZZZZZ/qr.svg").status_code == 404


def test_wrong_codes_are_limited_per_address(tmp_path):
    settings = Settings(compute_processes=1, data_dir=tmp_path, class_misses_per_hour=3)
    with TestClient(create_app(settings)) as client:
        code, _ = start(client)
        for _ in range(3):
            assert client.get("/api/class/ZZZZZZ").status_code == 404
        walked = client.get("/api/class/ZZZZZY")
        assert walked.status_code == 429 and int(walked.headers["retry-after"]) > 0
        assert client.get(f"/join/{code}").status_code == 429  # even a right one, for a while


def test_a_store_that_cannot_open_leaves_classes_503_and_the_rest_served(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    with TestClient(create_app(Settings(compute_processes=1, data_dir=blocked))) as client:
        refused = client.post("/api/class", json={})
        assert refused.status_code == 503 and "classes are unavailable" in refused.json()["detail"]
        assert client.get("/join/ZZZZZZ").status_code == 503
        health = client.get("/healthz").json()
        assert health["status"] == "degraded" and "classes" in health["problems"][0]
        assert client.get("/api/snapshot?steps=20&step=10").status_code == 200


def test_joins_and_submissions_are_limited_per_address(tmp_path):
    settings = Settings(
        compute_processes=1,
        data_dir=tmp_path,
        class_joins_per_minute=3,
        class_submissions_per_minute=2,
    )
    with TestClient(create_app(settings)) as client:
        code, key = start(client)
        for _ in range(3):
            assert client.get(f"/api/class/{code}").status_code == 200
        joined = client.get(f"/join/{code}", follow_redirects=False)
        assert joined.status_code == 429 and int(joined.headers["retry-after"]) > 0
        challenge = {"data": {"dataset": "xor", "points": 200}}
        client.put(f"/api/class/{code}/challenge", json=challenge, headers={"X-Class-Key": key})
        url = f"/api/class/{code}/submissions"
        assert [client.post(url, json={"config": QUICK}).status_code for _ in range(3)] == [
            202,
            202,
            429,
        ]
