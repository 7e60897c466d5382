"""Endpoints other than the stream, validation errors, headers and limits."""

import io
import json
import re
from contextlib import redirect_stdout
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.cli import main as cli_main
from app.config import Settings
from app.main import create_app
from app.presets import PRESETS
from app.schemas import DATA_MAX_LENGTH, FIELD_NAMES
from app.web.security import content_security_policy

BAD_VALUES = {
    "dataset": ("spiral9", "one of spiral2"),
    "points": ("10", "between 20 and 5000"),
    "noise": ("1.5", "between 0 and 1"),
    "turns": ("0.1", "between 0.25 and 3"),
    "label_noise": ("0.6", "between 0 and 0.5"),
    "test_fraction": ("0.95", "between 0 and 0.9"),
    "seed": ("-1", "between 0 and"),
    "layers": ("17", "between 0 and 16"),
    "width": ("4", "one of 2, 3"),
    "activation": ("swish", "one of tanh"),
    "residual": ("maybe", "true or false"),
    "init": ("zeros", "one of xavier"),
    "optimizer": ("rmsprop", "one of sgd"),
    "lr": ("20", "between 1e-05 and 10"),
    "schedule": ("step", "one of constant"),
    "batch_size": ("500", "between 1 and points (400)"),
    "l2": ("2", "between 0 and 1"),
    "steps": ("0", "between 1 and 20000"),
    "data": ("A" * (DATA_MAX_LENGTH + 1), f"at most {DATA_MAX_LENGTH} characters"),
    "every": ("0", "between 1 and 1000"),
    "rate": ("100", "between 0.1 and 20"),
    "preset": ("nope", "one of spiral2"),
}


def test_every_config_field_has_a_bad_value_case():
    assert set(FIELD_NAMES) <= set(BAD_VALUES)


@pytest.mark.parametrize("field", sorted(BAD_VALUES))
def test_a_bad_value_is_a_422_naming_the_field_and_its_range(client, field):
    value, allowed = BAD_VALUES[field]
    response = client.get(f"/api/stream?{field}={value}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", field]
    assert error["msg"].startswith(field) and allowed in error["msg"], error
    assert repr(value) in error["msg"] or value in error["msg"]


@pytest.mark.parametrize("text", ["1_0", "+1", "10.0", " 10", "1e1"])
@pytest.mark.parametrize(
    "url", ["/api/config?layers={}", "/api/snapshot?steps=20&step={}", "/api/stream?every={}"]
)
def test_an_integer_is_plain_digits(client, url, text):
    """int() reads '1_0', '+1' and ' 10' as 10: one value, many URLs (and cache entries)."""
    answer = client.get(url.format(quote(text)))
    assert answer.status_code == 422
    field = url.split("?")[1].split("&")[-1].split("=")[0]
    assert answer.json()["detail"][0]["loc"] == ["query", field]
    assert field in answer.json()["detail"][0]["msg"]


def test_step_beyond_steps_is_a_422(client):
    response = client.get("/api/snapshot?steps=50&step=60")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "step"]
    assert "50" in response.json()["detail"][0]["msg"]


def test_a_malformed_last_event_id_is_a_422(client):
    response = client.get("/api/stream", headers={"Last-Event-ID": "soon"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "last-event-id"]


def test_a_preset_with_overrides(client):
    config = client.get("/api/config?preset=spiral3&seed=4").json()
    assert config == PRESETS["spiral3"].train_config(seed=4).model_dump()


def test_snapshot_is_the_plain_json_of_the_cli(client):
    body = client.get("/api/snapshot?steps=30&step=20&layers=3").json()
    out = io.StringIO()
    with redirect_stdout(out):
        cli_main(["snapshot", "--steps", "30", "--layers", "3", "--step", "20"])
    assert body == json.loads(out.getvalue())
    assert body["step"] == 20


def test_presets_in_both_languages(client):
    presets = client.get("/api/presets").json()
    assert [p["name"] for p in presets] == list(PRESETS)
    for preset in presets:
        assert preset["config"] == PRESETS[preset["name"]].train_config().model_dump()
        for text in (preset["title"], preset["explanation"]):
            assert set(text) == {"en", "zh-CN"} and all(text.values())


def test_health_and_version(client):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/api/version").json() == {"version": "0.1.0"}


def test_openapi_lists_every_parameter_with_its_range(client):
    spec = client.get("/openapi.json").json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/stream"]["get"]["parameters"]}
    assert set(FIELD_NAMES) | {"every", "rate", "preset"} <= set(parameters)
    for name in FIELD_NAMES:
        schema = parameters[name]["schema"]
        text = json.dumps(schema)
        assert "Allowed:" in parameters[name]["description"], name
        assert any(k in text for k in ("maximum", "enum", "boolean", "maxLength")), (name, schema)
    assert parameters["layers"]["schema"]["maximum"] == 16
    assert parameters["width"]["schema"]["enum"] == [2, 3]


@pytest.mark.parametrize("path", ["/healthz", "/api/presets", "/api/stream?layers=99"])
def test_security_headers_and_no_cookies(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'self' https://school.example" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in response.headers


def test_unrestricted_framing_sends_no_frame_ancestors():
    """`*` would refuse file://, about:blank and srcdoc ancestors in Chromium: leave it out."""
    for docs in (False, True):
        assert "frame-ancestors" not in content_security_policy("*", docs=docs)
        assert "frame-ancestors" not in content_security_policy(" * ", docs=docs)
    listed = content_security_policy("'self' https://school.example")
    assert listed.endswith("; frame-ancestors 'self' https://school.example")


def test_only_the_docs_page_may_run_its_inline_script(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    policy = docs.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net;" in policy
    assert "frame-ancestors 'self' https://school.example" in policy


def test_public_reads_are_open_to_any_origin_and_the_class_is_not(client):
    """A sandboxed frame (an opaque origin) reads the assets and the API across origins; the
    class's routes, which carry the teacher's cookie, stay closed to other origins."""
    page = client.get("/embed")
    asset = re.search(r'href="(/assets/[^"]+\.js)"', page.text).group(1)
    plotly = re.search(r'href="(/vendor/plotly-[^"]+)"', page.text).group(1)
    for path in (asset, plotly, "/api/presets", "/api/lessons", "/api/snapshot?steps=5&step=5"):
        response = client.get(path, headers={"Origin": "null"})
        assert response.status_code == 200, path
        assert response.headers["access-control-allow-origin"] == "*", path
        assert "access-control-allow-credentials" not in response.headers
    with client.stream("GET", "/api/stream?steps=1&rate=20", headers={"Origin": "null"}) as r:
        assert r.headers["access-control-allow-origin"] == "*"
        r.read()
    # EventSource's reconnection sends Last-Event-ID, which needs a preflight
    asked = {"Origin": "null", "Access-Control-Request-Method": "GET",
             "Access-Control-Request-Headers": "last-event-id"}  # fmt: skip
    preflight = client.options("/api/stream?steps=1", headers=asked)
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "last-event-id" in preflight.headers["access-control-allow-headers"]
    # the pages, health and the class are not opened: no header, no preflight
    for path in ("/", "/embed", "/healthz", "/api/class/7KQ4MX", "/api/class/7KQ4MX/board"):
        assert "access-control-allow-origin" not in client.get(path).headers, path
    created = client.post("/api/class", json={}, headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in created.headers
    assert client.options("/api/class", headers=asked).status_code != 204
    assert client.options("/api/class/7KQ4MX/events", headers=asked).status_code != 204
    assert (
        client.post("/api/custom-data", json={}).headers.get("access-control-allow-origin") is None
    )


def test_security_headers_on_the_stream(client):
    with client.stream("GET", "/api/stream?steps=1&rate=20") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["x-content-type-options"] == "nosniff"
        response.read()


def test_a_long_url_is_refused(client):
    assert client.get("/api/stream?seed=1&" + "x" * 9000).status_code == 414
    # the limit counts the request target as sent, `?` included: 8192 bytes pass, 8193 do not
    fits = "/healthz?" + "x" * (8192 - len("/healthz?"))
    assert client.get(fits).status_code == 200
    assert client.get(fits + "x").status_code == 414


def test_a_resume_past_the_end_is_done_at_the_last_step(client):
    with client.stream("GET", "/api/stream?steps=30&after=31") as response:
        text = response.read().decode()
    done = next(line for line in text.splitlines() if line.startswith("data:") and "reason" in line)
    assert '"step":30' in done and '"reason":"steps"' in done


def test_a_body_is_refused(client):
    assert client.request("GET", "/healthz", content=b"x" * 70000).status_code == 413


def test_beyond_max_streams_a_new_computation_is_503_but_readers_of_a_shared_one_are_not():
    settings = Settings(compute_processes=1, max_streams=1, retry_after_s=7)
    with TestClient(create_app(settings)) as client:
        with client.stream("GET", "/api/stream?rate=0.1") as first:
            assert first.status_code == 200
            next(first.iter_lines())
            refused = client.get("/api/stream?seed=9")
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "7"
            assert "computing 1 different runs" in refused.text
            with client.stream("GET", "/api/stream?rate=0.1") as copy:
                assert copy.status_code == 200
                assert next(copy.iter_lines()).startswith("event: meta")
                assert client.get("/healthz").json()["computations"] == 1
        assert client.get("/healthz").json()["streams"] == 0


def test_beyond_max_connections_and_per_address_even_a_shared_stream_is_503():
    for limit in ({"max_connections": 1}, {"max_streams_per_address": 1}):
        settings = Settings(compute_processes=1, **limit)
        with (
            TestClient(create_app(settings)) as client,
            client.stream("GET", "/api/stream?rate=0.1") as first,
        ):
            next(first.iter_lines())
            refused = client.get("/api/stream?rate=0.1")
            assert refused.status_code == 503, limit
            assert "retry-after" in refused.headers


def test_the_app_sets_no_dependency_override():
    """While any override is set, FastAPI rebuilds every dependency of every request: ≈10 ms of
    event loop for a stream's query parameters. Settings reach the routes through app.state
    (test_beyond_max_streams_a_new_computation_is_503… shows they do)."""
    assert not create_app(Settings(compute_processes=1)).dependency_overrides


@pytest.mark.parametrize("url", ["/api/presets/", "/api/config/?layers=3", "/embed/"])
def test_a_trailing_slash_redirect_is_a_path_not_the_clients_host(client, url):
    answer = client.get(url, headers={"Host": "evil.example"}, follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == url.replace("/?", "?").rstrip("/")
