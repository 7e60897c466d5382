"""The notebook API (`import layerwarp as lw`): the CLI's errors, /api/snapshot's numbers, and
figures drawn as the page draws its warp view, from the one place the page gets its look."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from fastapi.testclient import TestClient

import layerwarp as lw
from app.cli import main as cli_main
from app.config import Settings
from app.engine.frames import frame_sequence
from app.look import CLASS_COLOURS, CLASS_SYMBOLS, LINES, MARKERS, THEMES
from app.main import create_app
from app.presets import PRESETS
from layerwarp.offline import OfflineRenderer

NOTEBOOKS = ("notebook.ipynb", "notebook.zh-CN.ipynb")
SMALL = {"preset": "spiral2", "layers": 3, "steps": 240, "points": 120}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(compute_processes=1))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def run() -> lw.Run:
    return lw.Run(**SMALL).train(150)


def cli_error(capsys: pytest.CaptureFixture, *flags: str) -> str:
    with pytest.raises(SystemExit):
        cli_main(["train", *flags])
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_a_mistyped_name_is_one_line_naming_the_field_the_cli_would_suggest(capsys) -> None:
    with pytest.raises(lw.ConfigError) as raised:
        lw.Run(preset="spiral2", layrs=3)
    message = str(raised.value)
    assert message == "unknown field 'layrs' (did you mean 'layers'?)"
    assert "--layrs=3 (did you mean --layers?)" in cli_error(capsys, "--layrs=3")
    with pytest.raises(lw.ConfigError, match=r"unknown preset 'spiral' \(did you mean 'spiral"):
        lw.Run(preset="spiral")
    assert isinstance(raised.value, ValueError)


def test_a_run_takes_exactly_the_configs_fields() -> None:
    import inspect

    from app.schemas import FIELD_NAMES, TrainConfig

    assert list(inspect.signature(lw.Run).parameters) == ["preset", *FIELD_NAMES]
    run = lw.Run(preset="xor", layers=2, activation="relu")
    assert run.config == TrainConfig(**{**PRESETS["xor"].config, "layers": 2, "activation": "relu"})


def test_a_bad_value_is_the_clis_line_naming_the_field(capsys) -> None:
    with pytest.raises(lw.ConfigError) as raised:
        lw.Run(layers=99)
    message = str(raised.value)
    assert "\n" not in message and message.startswith("layers: ")
    cli = cli_error(capsys, "--layers=99")
    assert message.split(" (got")[0] == cli.split(" (got")[0]  # the CLI was given text: '99'
    with pytest.raises(lw.ConfigError, match=r"^batch_size: .*points \(120\)"):
        lw.Run(points=120, batch_size=500)


def test_a_bad_stage_step_or_theme_is_named(run: lw.Run) -> None:
    with pytest.raises(lw.ConfigError, match=r"unknown stage '2\.ac' \(did you mean '2\.act'\?\)"):
        run.figure(stage="2.ac")
    with pytest.raises(lw.ConfigError, match=r"^step: must be between 0 and steps \(240\)"):
        run.snapshot(241)
    with pytest.raises(lw.ConfigError, match="theme: must be one of light, dark"):
        run.figure(theme="sepia")


@pytest.mark.parametrize(
    "call, said",
    [
        (lambda run: run.train(2.5), r"^steps: must be a whole number, 0 or more \(got 2\.5\)"),
        (lambda run: run.train("10"), r"^steps: must be a whole number, 0 or more \(got '10'\)"),
        (lambda run: run.train(True), r"^steps: must be a whole number"),
        (lambda run: run.snapshot(1.5), r"^step: must be a whole number from 0 to 240 \(got 1\.5"),
        (lambda run: run.figure(step="100"), r"^step: must be a whole number from 0 to 240"),
        (lambda run: run.figure(stage=1), r"^stage: must be one of input, 1\.W, .*last \(got 1\)"),
        (lambda run: run.compare(None), r"^other: must be a layerwarp Run \(got None\)"),
        (lambda run: run.compare("spiral2"), r"^other: must be a layerwarp Run \(got 'spiral2'\)"),
        (lambda run: run.curves(run, 5), r"^others: must be a layerwarp Run \(got 5\)"),
        (lambda run: lw.Run(preset=3), r"^unknown preset 3; known: spiral2, "),
    ],
)
def test_an_argument_of_the_wrong_kind_is_named_not_a_deep_traceback(run, call, said) -> None:
    """A float, string or bool where a step count goes was rounded or compared deep inside
    (train(2.5) trained 3 steps, snapshot(1.5) gave step 2, snapshot("5") a TypeError from
    app/explain.py), and a non-Run to compare() an AttributeError from figures.py."""
    step = run.step
    with pytest.raises(lw.ConfigError, match=said):
        call(run)
    assert run.step == step


def route(client: TestClient, step: int, **fields: object) -> dict:
    query = "&".join(f"{name}={value}" for name, value in {**SMALL, **fields}.items())
    response = client.get(f"/api/snapshot?{query}&step={step}")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("step", [0, 40, 100, 150, 200, 240])
def test_a_snapshot_is_the_routes_number_for_number(client, run: lw.Run, step: int) -> None:
    """Behind the run (replayed from a checkpoint), where it is, ahead (trained on), its end."""
    ours = json.loads(json.dumps(lw.Run(**SMALL).train(150).snapshot(step)))
    assert ours == route(client, step)
    assert run.snapshot(step)["stages"] == ours["stages"]


def test_a_3d_run_and_a_run_that_ends_early_match_the_route_too(client) -> None:
    wide = lw.Run(**SMALL, width=3)
    assert json.loads(json.dumps(wide.snapshot(60))) == route(client, 60, width=3)
    fields = {"lr": 10, "optimizer": "sgd", "activation": "linear", "layers": 8}
    stopped = lw.Run(**{**SMALL, **fields})
    snap = stopped.snapshot(240)
    assert snap["reason"] == "diverged" and snap["step"] < 240
    steps = [point.step for point in stopped.curve]
    assert steps == sorted(set(steps)) and steps[-1] == snap["step"]
    assert json.loads(json.dumps(snap)) == route(client, 240, **fields)


def point_traces(figure: go.Figure) -> list:
    return [t for t in figure.data if (t.name or "").startswith("class ")]


def test_a_figure_draws_the_snapshots_positions_in_the_pages_look(run: lw.Run) -> None:
    figure = run.figure(stage="2.act", step=100)
    snap = run.snapshot(100)
    stage = next(s for s in snap["stages"] if s["name"] == "2.act")
    points = np.array(stage["points"])
    grid, *groups = figure.data
    assert grid.line.color == THEMES["light"]["grid"] and grid.line.width == LINES["grid"]
    labels = np.array(snap["labels"])
    for trace in groups:
        c, part = re.fullmatch(r"class (\d) · (train|test)", trace.name).groups()
        c = int(c)
        rows = np.array(trace.customdata)
        assert (labels[rows] == c).all()
        assert ((rows >= snap["n_train"]) == (part == "test")).all()
        assert trace.marker.color == CLASS_COLOURS[c]
        symbol = CLASS_SYMBOLS[c] if part == "train" else f"{CLASS_SYMBOLS[c]}-open"
        assert trace.marker.symbol == symbol and trace.marker.size == MARKERS["size"]
        edge = THEMES["light"]["edge"] if part == "train" else CLASS_COLOURS[c]
        assert trace.marker.line.color == edge
        np.testing.assert_allclose(trace.x, points[rows, 0], atol=1e-6)
        np.testing.assert_allclose(trace.y, points[rows, 1], atol=1e-6)
        assert trace.meta == {"config": run.config.model_dump(), "step": 100, "stage": "2.act"}
    assert len(groups) == 4 and figure.layout.plot_bgcolor == THEMES["light"]["plot"]
    last = run.figure()  # the last stage shows the readout's boundaries, in the theme's colour
    assert last.data[-1].line.color == THEMES["light"]["boundary"] and len(last.data[-1].x)
    dark = run.figure(theme="dark")
    assert dark.data[0].line.color == THEMES["dark"]["grid"]


def test_the_page_gets_its_look_from_the_same_place(client) -> None:
    html = client.get("/").text
    block = re.search(r'id="layerwarp-constants">(.*?)</script>', html)
    constants = json.loads(block.group(1))
    assert constants["classSymbols"] == list(CLASS_SYMBOLS)
    assert constants["themes"] == THEMES
    assert constants["markers"] == MARKERS and constants["lines"] == LINES
    style = client.get("/js/render/style.js")
    if style.status_code != 200:  # the assets are served under a versioned path
        style_url = re.search(r'"(/[^"]*?/js/)main\.js"', html)
        style = client.get(f"{style_url.group(1)}render/style.js")
    assert style.status_code == 200 and "CONSTANTS.themes" in style.text
    for literal in (THEMES["light"]["grid"], THEMES["dark"]["plot"], "'diamond'"):
        assert literal not in style.text


def test_a_width_3_run_is_drawn_in_3d(run: lw.Run) -> None:
    wide = lw.Run(**SMALL, width=3)
    figure = wide.figure(stage="input")
    assert {type(t) for t in figure.data} == {go.Scatter3d}
    assert set(figure.data[1].z) == {0.0}  # the input plane, lifted
    assert figure.data[1].marker.size == MARKERS["size3d"]
    assert "scene" in figure.layout and figure.layout.scene.aspectmode == "manual"
    last = wide.train(120).figure()  # the readout's planes, in the theme's boundary colour
    planes = [t for t in last.data if isinstance(t, go.Mesh3d)]
    assert planes and all(p.color == THEMES["light"]["boundary"] for p in planes)


def test_an_animation_has_a_frame_per_stage_and_tween_with_play_and_a_slider(run) -> None:
    figure = run.animation(step=150)
    snap = run.engine_snapshot(150)
    expected = [frame.name for frame in frame_sequence(snap)]
    assert len(expected) == len(snap.stages) + len(snap.tweens)
    assert [frame.name for frame in figure.frames] == expected
    assert any("~stretch@" in name for name in expected) and "1.W" in expected
    buttons = figure.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["▶ play", "❚❚ pause"]
    assert [b.method for b in buttons] == ["animate", "animate"]
    slider = figure.layout.sliders[0]
    assert [list(step.args[0]) for step in slider.steps] == [[name] for name in expected]
    # the slider says an in-between frame in words, not by its id (`1.W~stretch@0.25`)
    labels = [step.label for step in slider.steps]
    assert "1.W stretch 25%" in labels and "1.W rotate 50%" in labels and "2.b" in labels
    assert not any("~" in label or "@" in label for label in labels)
    by_name = {s.name: s for s in snap.stages}
    frame = next(f for f in figure.frames if f.name == "2.b")
    rows = np.array(frame.data[1].customdata)
    np.testing.assert_allclose(frame.data[1].x, by_name["2.b"].points[rows, 0])


def test_figures_are_the_same_for_a_seed_and_differ_for_another() -> None:
    def made(seed: int) -> list[str]:
        run = lw.Run(**SMALL, seed=seed).train(60)
        return [run.figure().to_json(), run.animation().to_json(), run.curves().to_json()]

    assert made(3) == made(3)
    assert all(a != b for a, b in zip(made(3), made(4), strict=True))


def test_filmstrip_compare_and_curves() -> None:
    run = lw.Run(**SMALL).train(150)
    film = run.filmstrip(step=100)
    titles = [a.text for a in film.layout.annotations]
    assert titles == ["input", "1.act", "2.act", "3.act"]
    assert len(point_traces(film)) == 4 * 4
    other = lw.Run(**SMALL, width=3, activation="relu").train(150)
    both = run.compare(other)
    assert both.layout.title.text.startswith("width 2 → 3, activation tanh → relu")
    kinds = [type(t) for t in point_traces(both)]
    assert kinds == [go.Scatter] * 4 + [go.Scatter3d] * 4
    curves = run.curves()
    steps = list(curves.data[0].x)
    assert steps == list(range(0, 151, 5))
    at_100 = run.snapshot(100)["metrics"]
    for trace in curves.data:
        value = trace.y[steps.index(100)]
        assert value == pytest.approx(at_100[trace.meta["metric"]], abs=1e-9)
    assert len(run.curves(other).data) == 2 * len(curves.data)


def test_offline_figures_carry_plotlyjs_once_and_name_no_address(run: lw.Run) -> None:
    import plotly.io as pio

    before = pio.renderers.default
    try:
        assert lw.offline() == "plotly_mimetype+layerwarp"
        assert pio.renderers.default == "plotly_mimetype+layerwarp"
    finally:
        pio.renderers.default = before
    html = OfflineRenderer().to_mimebundle(run.figure().to_dict())["text/html"]
    assert "Plotly.newPlot" in html and "<script src" not in html and "https://" not in html


def test_the_chinese_notebook_runs_the_same_code_in_chinese_prose() -> None:
    """docs/notebook.zh-CN.ipynb is the lesson in 简体中文 with the very code the executed
    English notebook runs (tests/notebook/test_notebook.py), so one run covers both — and one
    line more, which makes its figures speak Chinese (tested below)."""
    import nbformat

    from tests.chinese import CJK, ascii_punctuation

    docs = Path(__file__).resolve().parents[2] / "docs"
    english, chinese = (nbformat.read(docs / name, as_version=4) for name in NOTEBOOKS)
    cells = [[c.source for c in nb.cells if c.cell_type == "code"] for nb in (english, chinese)]
    # the same code; its comments are in the notebook's language
    code = [[re.sub(r"\s*#[^\n]*", "", source) for source in nb] for nb in cells]
    comments = re.findall(r"#\s*([^\n]*)", "\n".join(cells[1]))
    assert comments and all(CJK.search(comment) for comment in comments), comments
    switch = 'lw.language("zh-CN")'
    assert switch in code[1][0] and switch not in "".join(code[0])
    assert code[1][0] == code[0][0] + f"\n{switch}"
    assert code[0][1:] == code[1][1:] and code[0]
    prose = [c.source for c in chinese.cells if c.cell_type == "markdown"]
    assert len(prose) == sum(c.cell_type == "markdown" for c in english.cells)
    for text in prose:
        assert CJK.search(text)
        assert not any(ascii_punctuation(line) for line in text.splitlines()), text


def test_after_language_zh_cn_every_figure_speaks_chinese(run: lw.Run) -> None:
    """Titles, legends, play buttons and the curves' axes in 简体中文, as the page says them;
    the run's own names (the dataset, stage ids, setting names) as the URL spells them."""
    from tests.chinese import CJK

    assert lw.language() == "en"
    with pytest.raises(ValueError, match="language: 'fr' is not one of en, zh-CN"):
        lw.language("fr")
    try:
        assert lw.language("zh-CN") is None  # the notebook's first cell shows no Out: 'zh-CN'
        assert lw.language() == "zh-CN"
        figure = run.figure(stage="last")
        assert "阶段 " in figure.layout.title.text and "第 " in figure.layout.title.text
        names = {trace.name for trace in figure.data}
        assert {"类别 0 · 训练", "类别 1 · 测试", "网格"} <= names
        animation = run.animation()
        buttons = [b.label for b in animation.layout.updatemenus[0].buttons]
        assert buttons == ["▶ 播放", "❚❚ 暂停"] and "每个阶段" in animation.layout.title.text
        assert animation.layout.sliders[0].currentvalue.prefix == "阶段 "  # was "stage "
        assert "1.W 拉伸 25%" in [step.label for step in animation.layout.sliders[0].steps]
        curves = run.curves()
        assert curves.layout.title.text == "损失与准确率"
        assert curves.layout.yaxis.title.text == "损失" and curves.data[0].name == "损失 · 训练"
        film = run.filmstrip()
        assert "每一层的输出" in film.layout.title.text
        texts = [figure.layout.title.text, animation.layout.title.text, film.layout.title.text]
        assert all(CJK.search(text) for text in texts)
    finally:
        lw.language("en")
    assert run.figure().layout.title.text.startswith(f"{run.config.dataset} · ")
    assert "stage " in run.figure().layout.title.text


def test_the_figures_words_are_said_in_both_languages() -> None:
    from layerwarp.words import WORDS

    assert set(WORDS["en"]) == set(WORDS["zh-CN"])
