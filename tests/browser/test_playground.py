"""The layer playground in Chromium: its JavaScript against the engine, the drawn grid against
σ(W·a + b), and the handles (mouse and keyboard) writing W and b into the URL."""

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from app.engine.activations import ACTIVATIONS
from app.engine.network import Layout, Network
from app.engine.tweens import tween_matrices
from app.engine.warp import Grid

LAYERS = [  # (W row-major, b, activation): turning, mirroring, nearly flat, shearing
    ([1.2, 0.4, -0.5, 0.9], [0.3, -0.2], "tanh"),
    ([0.8, 1.1, 0.9, -0.6], [0.2, 0.1], "relu"),
    ([-1.5, 0.3, 0.2, 2.5], [-1.0, 0.5], "leaky_relu"),
    ([2.0, 1.0, 1.0, 0.5000001], [0.0, 0.0], "sigmoid"),
    ([0.3, -2.0, 1.7, 0.1], [4.0, -3.0], "linear"),
]


def _open(watched, query: str, size=(1366, 768)):
    watched.page.set_viewport_size({"width": size[0], "height": size[1]})
    watched.page.goto(f"{watched.base}/playground?{query}")
    watched.page.wait_for_selector("[data-playground][data-ready]")
    watched.page.wait_for_load_state("networkidle")


def _layer_module(watched) -> str:
    """The URL of playground/layer.js under the page's asset hash."""
    return watched.page.evaluate(
        """() => [...document.querySelectorAll('link[rel="modulepreload"]')]
            .map((l) => l.href).find((h) => h.endsWith('/js/playground/layer.js'))"""
    )


def _network(W, b, activation) -> Network:
    net = Network(Layout(2, 2, 1, 2, False, activation))
    net.W[0][:] = np.reshape(W, (2, 2))
    net.b[0][:] = b
    return net


@pytest.mark.parametrize(("W", "b", "activation"), LAYERS)
def test_the_javascript_stages_and_tween_equal_the_engines(watched, W, b, activation):
    _open(watched, "")
    rng = np.random.default_rng(3)
    points = np.concatenate([Grid().vertices(), rng.uniform(-2, 2, (200, 2))])
    js = watched.page.evaluate(
        """async ([url, points, W, b, activation]) => {
            const layer = await import(url);
            const M = [[W[0], W[1]], [W[2], W[3]]];
            const flat = Float64Array.from(points.flat());
            const stages = layer.stages(flat, { W: M, b, activation });
            const out = {};
            for (const [name, at] of Object.entries(stages)) out[name] = Array.from(at);
            const grid = Array.from(layer.gridVertices());
            const frames = layer.tweenFrames(M);
            // the continuous tween passes through every named frame: stretch i/4 at t = i/8
            const at = [1, 2, 3, 4].map((i) => layer.tweenMatrix(M, i / 8))
              .concat([1, 2, 3].map((i) => layer.tweenMatrix(M, 0.5 + i / 8)));
            return { stages: out, grid, frames, at, orientation: layer.orientation(M) };
        }""",
        [_layer_module(watched), points.tolist(), W, b, activation],
    )
    engine = {record.name: at for record, at in _network(W, b, activation).stages(points)}
    names = {"input": "input", "W": "1.W", "b": "1.b", "act": "1.act"}
    for js_name, engine_name in names.items():
        drawn = np.reshape(js["stages"][js_name], (-1, 2))
        np.testing.assert_allclose(drawn, engine[engine_name], rtol=0, atol=1e-9)
    np.testing.assert_allclose(np.reshape(js["grid"], (-1, 2)), Grid().vertices(), atol=1e-12)
    frames = tween_matrices([np.reshape(W, (2, 2))])[0]
    assert [f["name"] for f in js["frames"]] == [record.name for record, _ in frames]
    for mine, (_, theirs) in zip(js["frames"], frames, strict=True):
        np.testing.assert_allclose(mine["M"], theirs, atol=1e-9)
    stretch_and_turn = [M for record, M in frames if record.kind != "mirror"]
    np.testing.assert_allclose(js["at"], stretch_and_turn, atol=1e-9)
    det = np.linalg.det(np.reshape(W, (2, 2)))
    expected = (
        "collapses"
        if np.linalg.cond(np.reshape(W, (2, 2))) > 1e3
        else ("mirrors" if det < 0 else "keeps")
    )
    assert js["orientation"] == expected


def _drawn_grid(page) -> np.ndarray:
    """The grid's polylines as the screen has them, mapped back to data coordinates."""
    raw = page.evaluate(
        """() => {
            const svg = document.querySelector('[data-plane]');
            const lines = [...svg.querySelectorAll('[data-grid] polyline')].map(
              (l) => l.getAttribute('points'));
            return { lines, cx: +svg.dataset.cx, cy: +svg.dataset.cy, unit: +svg.dataset.unit };
        }"""
    )
    pixels = np.array(
        [[float(v) for v in pair.split(",")] for line in raw["lines"] for pair in line.split()]
    )
    x = (pixels[:, 0] - raw["cx"]) / raw["unit"]
    y = (raw["cy"] - pixels[:, 1]) / raw["unit"]
    return np.column_stack([x, y]), raw["unit"]


def _query(page) -> dict[str, list[str]]:
    """The address bar's query now (page.url learns of replaceState only later)."""
    return parse_qs(urlsplit(page.evaluate("() => location.href")).query)


def _url_layer(page) -> tuple[np.ndarray, np.ndarray]:
    query = _query(page)
    W = np.array([float(v) for v in query["W"][0].split(",")]).reshape(2, 2)
    b = np.array([float(v) for v in query["b"][0].split(",")])
    return W, b


@pytest.mark.parametrize(("W", "b", "activation"), LAYERS[:3])
def test_the_drawn_grid_is_sigma_of_w_a_plus_b_for_the_urls_layer(watched, W, b, activation):
    query = f"W={','.join(map(str, W))}&b={','.join(map(str, b))}&activation={activation}"
    _open(watched, query + "&stage=act")
    drawn, unit = _drawn_grid(watched.page)
    expected = ACTIVATIONS[activation](Grid().vertices() @ np.reshape(W, (2, 2)).T + b)
    np.testing.assert_allclose(drawn, expected, atol=0.006 / unit * 100)  # 0.006 px, rounding
    assert watched.page.get_attribute("[data-stage-button='act']", "aria-pressed") == "true"
    formula = watched.page.text_content("[data-pg-formula]")
    assert formula.startswith(f"a′ = {activation}(W·a + b)")
    assert watched.errors == []


def test_stage_w_draws_w_a_and_the_mirror_is_named(watched):
    _open(watched, "W=0.8,1.1,0.9,-0.6&b=0.2,0.1&stage=W")
    drawn, unit = _drawn_grid(watched.page)
    W = np.array([[0.8, 1.1], [0.9, -0.6]])
    np.testing.assert_allclose(drawn, Grid().vertices() @ W.T, atol=0.01 / unit)
    verdict = watched.page.locator("[data-verdict]")
    assert verdict.get_attribute("data-kind") == "mirrors"
    assert "det W = −1.47" in verdict.text_content()


def test_dragging_a_handle_changes_the_urls_w_and_asks_the_server_nothing(watched):
    _open(watched, "W=1,0,0,1&b=0,0&activation=tanh&stage=b")
    page = watched.page
    box = page.locator("[data-handle='e1'] .mark").bounding_box()
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    unit = float(page.get_attribute("[data-plane]", "data-unit"))
    watched.requests.clear()
    page.mouse.move(*start)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(start[0] + 6 * i, start[1] - 3 * i)
    moved = "() => !document.querySelector('[data-plane]').dataset.layer.startsWith('1,0,')"
    page.wait_for_function(moved)  # the plane has drawn the dragged W
    asked_while_dragging = list(watched.requests)
    page.mouse.up()
    W, b = _url_layer(page)
    np.testing.assert_allclose(W[:, 0], [1 + 60 / unit, 30 / unit], atol=2e-3)
    np.testing.assert_allclose(W[:, 1], [0, 1])
    np.testing.assert_allclose(b, [0, 0])
    assert asked_while_dragging == []
    # what is drawn follows what the URL now says
    drawn, unit = _drawn_grid(page)
    np.testing.assert_allclose(drawn, Grid().vertices() @ W.T + b, atol=0.01 / unit)
    assert page.input_value("[data-w-entry='0']") == f"{W[0, 0]:g}"


def test_dragging_a_column_from_the_input_stage_shows_w_a(watched):
    _open(watched, "W=1,0,0,1&b=0.5,0.5&stage=input")
    page = watched.page
    box = page.locator("[data-handle='e2'] .mark").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 40, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert _query(page)["stage"] == ["W"]
    W, _ = _url_layer(page)
    assert W[0, 1] < -0.1 and W[1, 1] == pytest.approx(1, abs=2e-3)


def test_arrow_keys_nudge_the_selected_handle(watched):
    _open(watched, "W=1,0,0,1&b=0,0&stage=b")
    page = watched.page
    page.focus("[data-handle='origin']")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Shift+ArrowRight")
    page.focus("[data-handle='e2']")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => new URL(location.href).searchParams.get('W') === '1,-0.05,0,1'")
    W, b = _url_layer(page)
    np.testing.assert_allclose(b, [0.25, 0.05])
    assert "selected" in page.get_attribute("[data-handle='e2']", "class")


def test_typed_numbers_and_the_activation_menu_redraw(watched):
    _open(watched, "W=1,0,0,1&b=0,0&stage=act&activation=linear")
    page = watched.page
    page.fill("[data-w-entry='1']", "0.5")
    page.select_option("[data-activation-menu]", "relu")
    page.wait_for_function("() => new URL(location.href).searchParams.get('activation') === 'relu'")
    W, b = _url_layer(page)
    assert W.tolist() == [[1, 0.5], [0, 1]]
    # The URL is written at once, the plane on the next animation frame: read the screen once it
    # has drawn this layer (a loaded machine read the frame before).
    page.wait_for_function(
        "() => document.querySelector('[data-plane]').dataset.layer === '1,0.5,0,1;0,0;relu'"
    )
    drawn, unit = _drawn_grid(page)
    np.testing.assert_allclose(drawn, np.maximum(Grid().vertices() @ W.T, 0), atol=0.01 / unit)


def test_a_stage_button_tweens_to_its_stage(watched):
    _open(watched, "W=0.8,1.1,0.9,-0.6&b=0.2,0.1&stage=input")
    page = watched.page
    page.click("[data-stage-button='W']")
    page.wait_for_function("() => document.querySelector('[data-plane]').dataset.stage === 'W'")
    assert _query(page)["stage"] == ["W"]
    drawn, unit = _drawn_grid(page)
    W = np.array([[0.8, 1.1], [0.9, -0.6]])
    np.testing.assert_allclose(drawn, Grid().vertices() @ W.T, atol=0.01 / unit)


@pytest.mark.parametrize("size", [(390, 844), (1440, 900)])
def test_in_chinese_the_page_fits_its_width(watched, size):
    _open(watched, "lang=zh-CN&W=1,0,0,-1", size)
    page = watched.page
    assert page.text_content("h1") == "Layerwarp · 单层游乐场"
    assert page.text_content("[data-stage-button='input']") == "输入"
    assert "镜像" in page.text_content("[data-verdict]")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size[0]
    plane = page.locator("[data-plane]").bounding_box()
    assert plane["width"] >= 0.8 * min(size[0], 900) - 40 and plane["height"] >= 300
    assert watched.errors == []


def test_open_this_layer_carries_the_runs_layer_into_the_playground(watched):
    watched.open("layers=2&steps=20&every=10&rate=20&activation=relu")
    watched.wait_drawn(step=20, timeout=60000)
    page = watched.page
    link = page.locator("[data-open-layer='2']")
    assert link.text_content() == "Open this layer"
    shown = page.locator("tr[data-layer='2'] td").nth(1).text_content()  # W, 2 decimals
    href = link.get_attribute("href")
    query = parse_qs(urlsplit(href).query)
    assert query["activation"] == ["relu"] and query["stage"] == ["act"]
    W = np.array([float(v) for v in query["W"][0].split(",")]).reshape(2, 2)
    on_screen = np.array(
        [
            [float(v.replace("−", "-")) for v in row.strip("[]").split(",")]
            for row in shown.split("\n")
        ]
    )
    np.testing.assert_allclose(W, on_screen, atol=0.0051)
    with page.context.expect_page() as opened:
        link.click()
    playground = opened.value
    playground.wait_for_selector("[data-playground][data-ready]")
    assert playground.input_value("[data-activation-menu]") == "relu"
    assert float(playground.input_value("[data-w-entry='0']")) == W[0, 0]


def test_the_three_moves_lesson_links_the_playground(watched):
    watched.open("lesson=three-moves&lang=zh-CN&every=50&rate=4")
    page = watched.page
    link = page.locator("[data-lesson-playground]")
    link.wait_for(state="visible")
    assert link.text_content() == "亲手移动这一层：单层游乐场 ↗"
    href = link.get_attribute("href")
    page.click("[data-lesson-action='lesson-next']")  # the next step has no layer to open
    page.wait_for_function(
        "() => document.querySelector('[data-lesson-playground]').hidden", polling=100
    )
    page.goto(watched.base + href)
    page.wait_for_selector("[data-playground][data-ready]")
    assert page.get_attribute("[data-stage-button='input']", "aria-pressed") == "true"
    assert page.text_content("h1") == "Layerwarp · 单层游乐场"
    assert page.text_content("[data-stage-button='input']") == "输入"
