"""A config from outside the page (an embed host's setConfig, a saved run's file) may name only
the config's own fields: names every object inherits (`toString`, `constructor`,
`hasOwnProperty`, `__proto__`) are refused by name, and nothing is applied."""

import json

import httpx
import pytest

RUN = "layers=2&steps=40&every=10&rate=20"
INHERITED = ["toString", "constructor", "hasOwnProperty", "__proto__"]
HOST = """<script>window.got = []; addEventListener('message', (e) => got.push(e.data));</script>
<iframe id="layerwarp" title="Layerwarp" src="{src}" width="480" height="400"></iframe>"""


@pytest.fixture
def host(browser, server):
    """A page holding the embed, once the embed has said `ready`."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(HOST.format(src=f"{server}/embed?{RUN}"))
    page.wait_for_function("() => window.got.some((m) => m.type === 'ready')", timeout=20000)
    yield page
    context.close()


def set_config(page, patch_json: str) -> dict:
    """Send setConfig with the patch parsed from JSON text, so `__proto__` is an own key as a
    host's JSON would make it; the embed's answer to it."""
    page.evaluate(
        """(text) => {
            window.got.length = 0;
            const config = JSON.parse(text);
            document.getElementById('layerwarp').contentWindow.postMessage(
                {source: 'layerwarp', type: 'setConfig', config}, '*');
        }""",
        patch_json,
    )
    page.wait_for_function(
        "() => window.got.some((m) => m.request === 'setConfig' || m.type === 'ready')",
        timeout=15000,
    )
    # the names are read in the page: a `__proto__` key would not survive the trip to Python
    return page.evaluate(
        """() => {
            const answer = window.got.find((m) => m.request === 'setConfig' || m.type === 'ready');
            return {...answer, fields: Object.keys(answer.fields ?? {})};
        }"""
    )


def test_set_config_refuses_inherited_names(host):
    frame_url = host.frames[1].url
    for name in INHERITED:  # one embed, each name in turn
        answer = set_config(host, json.dumps({"layers": 3, name: 1}))
        assert answer["type"] == "error", (name, answer)
        assert answer["fields"] == [name]
        assert name in answer["message"]
    host.wait_for_timeout(300)  # a restart would post `ready` now
    assert [m for m in host.evaluate("window.got") if m["type"] == "ready"] == []
    assert host.frames[1].url == frame_url  # still layers=2


def test_set_config_still_takes_own_fields(host):
    answer = set_config(host, json.dumps({"layers": 3}))
    assert answer["type"] == "ready" and answer["config"]["layers"] == 3


def test_a_message_type_every_object_inherits_is_unknown(host):
    for kind in ["toString", "constructor", "__proto__"]:
        host.evaluate(
            """(kind) => { window.got.length = 0;
                document.getElementById('layerwarp').contentWindow.postMessage(
                    {source: 'layerwarp', type: kind}, '*'); }""",
            kind,
        )
        answer = host.wait_for_function(
            "() => window.got.find((m) => m.type === 'error')", timeout=10000
        ).json_value()
        assert answer["request"] == kind and "unknown message type" in answer["message"]


def test_load_run_refuses_inherited_names(watched, server, tmp_path):
    config = "layers=2&steps=20"
    record = httpx.get(f"{server}/api/export/run?{config}&every=10", timeout=60).json()
    watched.open(f"{config}&rate=20")
    watched.wait_drawn()
    url_before = watched.page.url
    for name in INHERITED:  # one page, each saved file in turn
        # written as text: json.dumps of {"__proto__": …} is an own key once the page parses it
        saved = tmp_path / f"run-{name}.json"
        saved.write_text(json.dumps({**record, "config": {**record["config"], name: 4}}))
        watched.page.set_input_files("[data-load-run]", str(saved))
        watched.page.wait_for_function(
            """(name) => {
                const report = document.querySelector('[data-load-report]');
                return report.dataset.kind === 'error' && report.textContent.includes(name + ':');
            }""",
            arg=name,
            timeout=20000,
        )
        assert watched.page.url == url_before, name
