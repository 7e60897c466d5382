"""The page in a real Chromium against a real server: load, draw, stages, controls, states."""

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np
import pytest

from tests.browser.harness import ARTIFACTS, SETTLED
from tests.browser.wire import groups, read_stream, stage_positions

CLASS_COLOURS = ["#0072B2", "#E69F00", "#009E73"]  # static/js/render/style.js
SHORT = "layers=3&steps=50&every=25&rate=20&stage=input"  # streams to its end in about a second
# (and names its stage, so the layers do not play by themselves under the test)


def test_page_loads_with_no_console_error_and_no_foreign_request(watched):
    watched.open()
    watched.wait_drawn()
    watched.page.wait_for_timeout(500)
    assert watched.errors == []
    foreign = [url for url in watched.requests if not url.startswith(watched.base + "/")]
    assert foreign == []


def test_first_snapshot_is_drawn_at_the_input_stage(watched, server):
    watched.open(SHORT)
    watched.wait_drawn(stage="input")
    meta, _ = read_stream(server, SHORT)
    traces = watched.warp_data()
    drawn_points = sum(len(t["x"]) for t in traces if t["name"] and "·" in t["name"])
    assert drawn_points == meta["n_train"] + meta["n_test"]
    expected = stage_positions(meta, {"stages": []}, "input")
    for (_, _, rows), trace in zip(groups(meta), traces[1:], strict=False):
        assert np.array_equal(np.array(trace["x"]), expected[rows, 0])


def test_stepping_through_stages_moves_points_to_the_streamed_positions(watched, server):
    meta, snapshots = read_stream(server, SHORT)
    last = snapshots[max(snapshots)]
    # where the points end up is the point, not how they get there: shorter tweens
    watched.page.emulate_media(reduced_motion="reduce")
    watched.open(SHORT)
    watched.wait_drawn(step=last["step"], stage="input")
    for index, name in enumerate(meta["stages"][1:], start=1):
        # the click event alone: a real click first waits for the page to hold still (the 3-D
        # test clicks this button for real)
        assert watched.page.is_enabled('[data-action="stage-next"]'), name
        watched.page.dispatch_event('[data-action="stage-next"]', "click")
        watched.wait_drawn(step=last["step"], stage=name)
        assert watched.page.input_value("[data-stage-slider]") == str(index)
        expected = stage_positions(meta, last, name)
        traces = watched.warp_data()
        for (_, _, rows), trace in zip(groups(meta), traces[1:], strict=False):
            drawn = np.column_stack([trace["x"], trace["y"]])
            # computed from W and b in the page: same formula, summation order may differ
            np.testing.assert_allclose(drawn, expected[rows], rtol=1e-12, atol=1e-12)
        grid = np.array(traces[0]["x"], dtype=float)
        np.testing.assert_allclose(
            grid[~np.isnan(grid)], expected[: meta["grid"]["count"], 0], rtol=1e-12, atol=1e-12
        )


def test_changing_a_control_updates_the_url_and_restarts_the_stream(watched):
    watched.open(SHORT)
    watched.wait_drawn()
    with watched.page.expect_request(lambda r: "/api/stream?" in r.url and "layers=2" in r.url):
        watched.page.fill('[data-field="layers"]', "2")
        watched.page.dispatch_event('[data-field="layers"]', "change")
    query = parse_qs(urlsplit(watched.page.url).query)
    assert query["layers"] == ["2"]
    watched.page.wait_for_function(
        "() => document.querySelector('[data-stage-slider]').max === '6'"
    )  # input + 2 layers × (W, b, act)


def test_a_permalink_round_trips(watched):
    query = (
        "dataset=moons&points=200&layers=2&lr=0.03&seed=7&activation=relu&steps=50&every=25"
        "&rate=20&stage=input"
    )
    watched.open(query)
    watched.wait_drawn(step=50)
    permalink = watched.page.url
    given = parse_qs(query)
    stated = parse_qs(urlsplit(permalink).query)
    for name, value in given.items():
        assert stated[name] == value, name
    first = watched.warp_data()
    # a new tab (plotly.js compiled already): the app keeps no cookie or storage, only the URL
    again = watched.page.context.new_page()
    try:
        again.goto(permalink)
        again.wait_for_function(
            "() => document.querySelector('[data-view=\"warp\"]').dataset.step === '50'"
        )
        assert again.url == permalink
        assert again.input_value('[data-field="dataset"]') == "moons"
        assert again.input_value('[data-field="lr"]') == "0.03"
        drawn = again.evaluate(
            "() => document.querySelector('[data-view=\"warp\"]').data.map((t) => t.x)"
        )
        assert drawn == [t["x"] for t in first]
    finally:
        again.close()


def test_a_diverged_run_says_so_and_offers_a_lower_learning_rate(watched):
    watched.open("optimizer=sgd&activation=linear&lr=10&every=1&rate=20")
    notice = watched.page.locator("[data-notice]")
    notice.wait_for(state="visible", timeout=15000)
    assert "diverged" in watched.page.text_content("[data-notice-text]")
    button = watched.page.locator('[data-action="lower-lr"]')
    assert "1" in button.text_content()
    with watched.page.expect_request(lambda r: "/api/stream?" in r.url and "lr=1&" in r.url):
        button.click()
    assert parse_qs(urlsplit(watched.page.url).query)["lr"] == ["1"]
    assert watched.page.locator("[data-notice]").is_hidden()


def test_an_invalid_value_is_named_next_to_its_control(watched):
    watched.open(SHORT)
    watched.wait_drawn()
    streams = len([u for u in watched.requests if "/api/stream?" in u])
    watched.page.fill('[data-field="lr"]', "20")
    watched.page.dispatch_event('[data-field="lr"]', "change")
    message = watched.page.text_content('[data-error-for="lr"]')
    assert "10" in message and "between" in message
    assert watched.page.get_attribute('[data-field="lr"]', "aria-invalid") == "true"
    assert len([u for u in watched.requests if "/api/stream?" in u]) == streams


def test_the_3d_view_renders_for_width_3(watched):
    watched.open("dataset=spiral3&layers=2&width=3&steps=50&every=25&rate=20&stage=input")
    watched.wait_drawn(step=50)
    traces = watched.warp_data()
    assert {t["type"] for t in traces} == {"scatter3d"}
    assert all(t["z"] is not None for t in traces)
    watched.page.click('[data-action="stage-next"]')
    watched.wait_drawn(stage="1.W")
    assert watched.page.locator('[data-view="warp"] canvas').count() > 0
    assert watched.errors == []


def test_the_3d_camera_is_kept_across_snapshots(watched):
    watched.open("dataset=spiral3&layers=2&width=3&every=5&rate=4&steps=400&stage=input")
    watched.wait_drawn()
    eye = {"x": 0.4, "y": 2.1, "z": 0.7}
    watched.page.evaluate(
        "(eye) => Plotly.relayout(document.querySelector('[data-view=\"warp\"]'),"
        " {'scene.camera.eye': eye})",  # what a drag does
        eye,
    )
    drawn = int(watched.page.get_attribute('[data-view="warp"]', "data-step"))
    watched.page.wait_for_function(
        "(n) => Number(document.querySelector('[data-view=\"warp\"]').dataset.step) > n + 10",
        arg=drawn,
    )
    kept = watched.page.evaluate(
        "() => document.querySelector('[data-view=\"warp\"]').layout.scene.camera.eye"
    )
    assert kept == eye


def test_single_step_shows_weights_before_and_after_and_the_loss_change(watched):
    watched.open("every=25&rate=2&stage=input")  # slow enough to pause mid-run; no hands-free
    watched.wait_drawn()
    watched.page.click('[data-action="pause"]')
    before = int(watched.page.get_attribute('[data-view="warp"]', "data-step"))
    watched.page.click('[data-action="step"]')
    panel = watched.page.locator("[data-single-step]")
    panel.wait_for(state="visible", timeout=15000)
    watched.wait_drawn(step=before + 1)
    text = panel.text_content()
    assert "w ← w − α·∂E/∂w" in text and "→" in text
    rows = watched.page.locator('[data-view="single"] tbody tr')
    assert rows.count() == 8 + 1  # every hidden layer and the readout
    assert watched.page.get_attribute("[data-status]", "data-kind") == "paused"


@pytest.mark.parametrize(
    "size", [("laptop", 1366, 768), ("phone", 390, 844), ("projector", 1920, 1080)]
)
def test_screenshots(watched, size):
    name, width, height = size
    page = watched.page
    page.set_viewport_size({"width": width, "height": height})  # before the load: drawn at it
    # a trained network (step 300) streamed in 12 snapshots at 20 a second, not 60 at 4
    watched.open("steps=300&every=25&rate=20&stage=3.act")
    watched.wait_drawn(step=300, timeout=30000)
    page.wait_for_function(SETTLED)  # every plot drawn at its box's size
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)
    width_used = page.evaluate("() => document.documentElement.scrollWidth")
    assert width_used <= width, f"{name}: the page scrolls sideways ({width_used}px)"


def test_a_value_only_the_server_refuses_shows_the_servers_message(watched):
    watched.open("every=0")  # pacing is not a config field: the page does not check it
    notice = watched.page.locator("[data-notice]")
    notice.wait_for(state="visible", timeout=15000)
    text = watched.page.text_content("[data-notice-text]")
    assert "every" in text and "1000" in text  # the server's words: name and allowed range


def test_the_timeline_scrubs_back_through_every_snapshot(watched):
    watched.open(SHORT)
    watched.wait_drawn(step=50)
    # steps 0, 25 and 50 (the side views, the timeline among them, redraw a moment later)
    watched.page.wait_for_function("() => document.querySelector('[data-timeline]').max === '2'")
    watched.page.fill("[data-timeline]", "1")
    watched.wait_drawn(step=25)
    # the readout is a side view, redrawn a moment after the plot: wait for it, not race it
    watched.page.wait_for_function(
        "() => /\\b25\\b/.test(document.querySelector('[data-timeline-readout]').textContent)"
    )
    watched.page.fill("[data-timeline]", "2")
    watched.wait_drawn(step=50)


def test_a_preset_sets_its_config_and_explains_itself(watched, server):
    preset = next(p for p in httpx.get(f"{server}/api/presets").json() if p["name"] == "xor")
    watched.open(SHORT)
    watched.wait_drawn()
    watched.page.wait_for_selector('[data-presets] option[value="xor"]', state="attached")
    with watched.page.expect_request(lambda r: "/api/stream?" in r.url and "dataset=xor" in r.url):
        watched.page.select_option("[data-presets]", "xor")
    query = parse_qs(urlsplit(watched.page.url).query)
    for name, value in preset["config"].items():
        if value is None:  # e.g. no custom points: the URL leaves the field out
            assert name not in query, name
            continue
        (stated,) = query[name]
        if isinstance(value, bool):
            assert stated == str(value).lower(), name
        elif isinstance(value, int | float):
            assert float(stated) == value, name
        else:
            assert stated == value, name
    assert watched.page.text_content("[data-preset-note]") == preset["explanation"]["en"]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_the_first_snapshot_is_sketched_before_plotly_runs_then_plotly_takes_over(watched, server):
    held = []
    watched.page.route("**/vendor/plotly-*", lambda route: held.append(route))  # held back
    meta, snapshots = read_stream(server, SHORT)
    last = max(snapshots)
    watched.open(SHORT + "&stage=input")
    watched.page.wait_for_selector(
        f'[data-view="warp"][data-sketch-step="{last}"][data-sketch-stage="input"]'
    )
    assert watched.page.evaluate("() => window.Plotly") is None
    assert watched.page.get_attribute('[data-view="warp"]', "data-step") is None
    view = json.loads(watched.page.get_attribute("canvas[data-sketch]", "data-window"))
    positions = stage_positions(meta, {"stages": []}, "input")
    (x0, x1), (y0, y1) = view["x"], view["y"]
    assert x0 <= positions[:, 0].min() and positions[:, 0].max() <= x1
    assert y0 <= positions[:, 1].min() and positions[:, 1].max() <= y1
    # the centre pixel of each training point is its class colour (test points are open rings)
    margin, width, height = view["margin"], view["width"], view["height"]
    w = width - margin["l"] - margin["r"]
    h = height - margin["t"] - margin["b"]
    centres, colours = [], []
    for c, part, rows in groups(meta):
        if part != "train":
            continue
        for x, y in positions[rows]:
            centres.append(
                [margin["l"] + (x - x0) / (x1 - x0) * w, margin["t"] + (y1 - y) / (y1 - y0) * h]
            )
            colours.append(hex_rgb(CLASS_COLOURS[c]))
    drawn = watched.page.evaluate(
        """(centres) => {
            const canvas = document.querySelector('canvas[data-sketch]');
            const scale = canvas.width / canvas.clientWidth;
            const ctx = canvas.getContext('2d');
            const at = (v) => Math.floor(v * scale) - 1;
            return centres.map(([x, y]) => Array.from(ctx.getImageData(at(x), at(y), 3, 3).data));
        }""",
        centres,
    )
    # (the 3×3 pixels around it: a neighbour drawn later may cover the very centre)
    close = [
        any(
            max(abs(pixels[i + k] - colour[k]) for k in range(3)) <= 40
            for i in range(0, len(pixels), 4)
        )
        for pixels, colour in zip(drawn, colours, strict=True)
    ]
    assert sum(close) >= 0.95 * len(close), (
        f"{sum(close)} of {len(close)} points where they were sent"
    )
    watched.page.screenshot(path=ARTIFACTS / "page-sketch.png")

    for route in held:
        route.continue_()
    watched.page.unroute("**/vendor/plotly-*")
    watched.wait_drawn(step=last, stage="input", timeout=30000)
    assert watched.page.locator("canvas[data-sketch]").count() == 0
    assert watched.errors == []


def test_the_inspector_shows_each_layers_det_as_streamed(watched, server):
    meta, snapshots = read_stream(server, SHORT)
    last = snapshots[max(snapshots)]
    watched.open(SHORT)
    watched.wait_drawn(step=last["step"])
    watched.page.wait_for_function(
        "(n) => document.querySelectorAll('[data-view=\"inspector\"] tr[data-layer]').length === n",
        arg=len(last["layers"]),
    )
    # the side views redraw at most every 200 ms: wait for the draw of the last snapshot (the
    # input view names its step once drawn; the inspector is drawn in the same pass, before it)
    watched.page.wait_for_function(
        "(n) => document.querySelector('[data-view=\"field\"]').dataset.step === String(n)",
        arg=last["step"],
    )
    rows = watched.page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-view="inspector"] tbody tr'),
            (row) => Array.from(row.cells, (cell) => cell.textContent))"""
    )
    assert len(rows) == len(last["layers"]) + 1  # and the readout
    for row, layer in zip(rows, last["layers"], strict=False):
        shown = float(row[3].replace("−", "-").replace("⚠", "").strip())
        assert shown == pytest.approx(layer["det"], rel=0.05, abs=1e-12)
        assert row[3].endswith("⚠") == layer["collapsed"]
        assert len(row[1].split()) == 4  # W is 2 × 2
