"""The page's head: every module of the graph preloaded at once, plotly.js preloaded, not run."""

import json
import re
from pathlib import Path

import pytest

from app.web.modulegraph import module_graph
from app.web.vendor import plotly_js_version
from tests.web.conftest import SETTINGS

STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"


def test_the_module_graph_follows_every_relative_import_once(tmp_path):
    (tmp_path / "render").mkdir()
    (tmp_path / "main.js").write_text(
        "import { a } from './a.js';\nimport './render/b.js';\nexport const m = 1;\n"
    )
    (tmp_path / "a.js").write_text('import { b } from "./render/b.js"; export const a = b;')
    (tmp_path / "render" / "b.js").write_text(
        "import { a } from '../a.js';\n"
        "import x from '../missing.js';\n"
        "import y from '../../out.js';"
    )
    (tmp_path / "unused.js").write_text("export const u = 0;")
    assert module_graph(tmp_path, "main.js", "v1") == ("main.js", "a.js", "render/b.js")


def test_the_real_graph_reaches_every_module_the_entries_import():
    graph = module_graph(STATIC_JS, "main.js", "test")
    assert graph[0] == "main.js"
    wanted = {"stream.js", "state.js", "render/warp.js", "render/sketch.js", "render/style.js"}
    assert wanted <= set(graph)
    assert len(graph) == len(set(graph))
    embed = module_graph(STATIC_JS, "embed.js", "test")
    assert "own-data.js" not in embed and "render/sketch.js" in embed


def test_the_page_preloads_its_whole_module_graph_and_plotly(client):
    for path, entry in (("/", "main.js"), ("/embed", "embed.js")):
        html = client.get(path).text
        preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
        version = re.search(r"/assets/([0-9a-f]{12})/", html).group(1)
        assert [p.split(f"/assets/{version}/js/")[1] for p in preloaded] == list(
            module_graph(STATIC_JS, entry, version)
        )
        for url in preloaded:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "immutable" in response.headers["cache-control"]
        # plotly.js is fetched early but run by plotly-loader.js, not by a <script> of the page;
        # its 3-D bundle is named there for later, and not fetched for a 2-D run
        plotly = re.search(
            r'<link rel="preload" as="script" href="([^"]+)" data-plotly data-plotly3d="([^"]+)">',
            html,
        )
        assert plotly and plotly.group(1).endswith("-2d.min.js")
        assert plotly.group(2).endswith("-3d.min.js")
        for url in plotly.groups():
            response = client.get(url)
            assert response.status_code == 200 and "immutable" in response.headers["cache-control"]
        assert f'href="{plotly.group(2)}"' not in html
        assert "<script defer" not in html and 'src="/vendor/plotly' not in html
        # asked for before the modules: behind seventy of them on a browser's six connections,
        # its request waited for their round trips (2 s of a phone's first plot, bench.page --phone)
        assert html.index("data-plotly ") < html.index('rel="modulepreload"')


def test_a_3d_page_asks_for_its_3d_bundle_before_the_modules(client):
    html = client.get("/?preset=spiral3").text
    url = re.search(r'data-plotly3d="([^"]+)"', html).group(1)
    assert html.index(f'<link rel="preload" as="script" href="{url}">') < html.index(
        'rel="modulepreload"'
    )


def test_the_3d_renderer_is_fetched_with_the_3d_bundle_not_on_every_load(client):
    # a 2-D page's graph leaves it out (plotly-loader.js imports it when a 3-D view is shown)
    for path in ("/", "/embed"):
        assert "render/warp3d.js" not in client.get(path).text
    # a page that opens on a 3-D run preloads it, with every module it imports
    html = client.get("/?preset=spiral3").text
    preloaded = re.findall(r'<link rel="modulepreload" href="[^"]+/js/([^"]+)">', html)
    for name in ("render/warp3d.js", "render/scenefit.js", "render/scene-ticks.js"):
        assert preloaded.count(name) == 1


def test_a_page_opened_on_a_3d_run_preloads_the_3d_bundle_too(client):
    html = client.get("/?preset=spiral3").text
    url = re.search(r'data-plotly3d="([^"]+)"', html).group(1)
    assert f'<link rel="preload" as="script" href="{url}">' in html


def test_only_this_versions_bundles_are_served(client):
    version = plotly_js_version()
    assert client.get(f"/vendor/plotly-{version}-2d.min.js").status_code == 200
    for wrong in (f"/vendor/plotly-{version}-geo.min.js", "/vendor/plotly-0.0.1-2d.min.js"):
        response = client.get(wrong)
        assert response.status_code == 404 and version in response.json()["detail"]


def page_state(html: str) -> dict:
    block = re.search(
        r'<script type="application/json" id="layerwarp-page-state">(.*?)</script>', html, re.S
    )
    assert block, "no page state"
    return json.loads(block.group(1))


@pytest.mark.parametrize("path", ["/", "/embed"])
@pytest.mark.parametrize(
    "query", ["", "preset=spiral3", "preset=xor&layers=2", "layers=03&residual=yes&seed=1000"]
)
def test_the_page_states_the_config_as_the_api_resolves_it(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    state = page_state(response.text)
    assert state["config"] == client.get(f"/api/config?{query}").json()
    assert state["presets"] == client.get("/api/presets").json()


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_an_unknown_preset_is_a_422_page_that_runs_the_rest(client, path):
    response = client.get(f"{path}?preset=nosuch&layers=3")
    assert response.status_code == 422  # as /api/config answers it
    assert page_state(response.text)["config"] == client.get("/api/config?layers=3").json()
    # the page's script names it, in the page's language; the server's English list does not
    assert "data-query-errors" not in response.text


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_an_integer_not_in_plain_digits_is_refused_by_the_page_as_by_the_api(client, path):
    query = "layers=3.0&seed=1_000"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422 == client.get(f"/api/config?{query}").status_code
    assert page_state(response.text)["config"] is None
    assert "layers must be an integer between 0 and 16 (got &#39;3.0&#39;)" in response.text


def test_a_bad_field_leaves_the_page_no_config_and_names_the_field(client):
    response = client.get("/?preset=xor&layers=99")
    assert response.status_code == 422
    assert page_state(response.text)["config"] is None
    assert "layers must be an integer between 0 and 16" in response.text
    hostile = client.get("/?preset=</script><script>alert(1)</script>")
    assert hostile.status_code == 422 and "<script>alert" not in hostile.text


def test_the_motion_parameters_are_checked_like_the_config(client):
    for path in ("/", "/embed"):
        good = client.get(f"{path}?loop=0&speed=0.25&axes=fitted")
        assert good.status_code == 200
        for query, named in (("loop=2", "loop"), ("speed=8", "speed"), ("axes=tilted", "axes")):
            bad = client.get(f"{path}?{query}")
            assert bad.status_code == 422, query
            notice = re.search(r"<div class=\"notice\"[^>]*data-query-errors>(.*?)</div>", bad.text)
            said = f'<p data-query-error="{named}">{named} must be'  # query-errors.js's hook
            assert notice and notice.group(1).startswith(said), bad.text[:200]


def test_the_page_gets_shared_constants_from_the_server_not_a_copy(client):
    from app.engine.activations import ACTIVATIONS, LEAKY_SLOPE
    from app.engine.custom_data import LIMIT, MAX_POINTS, SCALE
    from app.engine.tweens import ROTATE_FRAMES, STRETCH_FRAMES
    from app.engine.warp import COLLAPSE_RATIO, DATA_EXTENT, FIELD_SIZE, POSITION_LIMIT, Grid
    from app.export.jobs import RUN_FORMAT, RUN_VERSION
    from app.look import CLASS_SYMBOLS
    from app.schemas import TrainConfig
    from app.web.constants import CLASS_COLOURS
    from app.web.params import SPEEDS

    for path in ("/", "/embed", "/playground"):
        html = client.get(path).text
        block = re.search(
            r'<script type="application/json" id="layerwarp-constants">(.*?)</script>', html
        )
        assert block, path
        constants = json.loads(block.group(1))
        assert constants["classColours"] == list(CLASS_COLOURS)
        assert constants["dataExtent"] == DATA_EXTENT
        assert constants["customData"]["scale"] == SCALE
        assert constants["customData"]["limit"] == LIMIT
        assert constants["customData"]["maxPoints"] == MAX_POINTS
        assert constants["csvMaxBytes"] == SETTINGS.max_body_bytes
        assert constants["classSymbols"] == list(CLASS_SYMBOLS)
        assert constants["speeds"] == list(SPEEDS)
        assert constants["lrMinimum"] == TrainConfig.model_fields["lr"].metadata[0].ge
        assert constants["runFile"] == {"format": RUN_FORMAT, "versions": [RUN_VERSION]}
        assert constants["grid"] == {"lines": Grid().lines, "samples": Grid().samples}
        maths = constants["maths"]
        assert maths["activations"] == list(ACTIVATIONS)
        assert (maths["leakySlope"], maths["collapseRatio"]) == (LEAKY_SLOPE, COLLAPSE_RATIO)
        assert (maths["stretchFrames"], maths["rotateFrames"]) == (STRETCH_FRAMES, ROTATE_FRAMES)
        assert (maths["positionLimit"], maths["latticeSize"]) == (POSITION_LIMIT, FIELD_SIZE)
    scripts = Path(__file__).resolve().parents[2] / "static" / "js"
    copies = [
        f"{path.relative_to(scripts)}: {literal}"
        for path in scripts.rglob("*.js")
        if "vendor" not in path.parts
        for literal in (
            *(CLASS_COLOURS[0], CLASS_COLOURS[1], "1.25", "3.2767", "64 * 1024", "1e-5"),
            *(
                "'layerwarp-run'",
                "'circle', 'square'",
                "0.25, 0.5",
                "LEAKY_SLOPE = ",
                "= 1e-3",
                "= 33",
            ),
        )
        if literal in path.read_text(encoding="utf-8")
    ]
    assert copies == []


def test_the_class_modules_come_later_except_on_a_page_that_names_a_class(client):
    # main.js imports classroom/classroom.js after the first plots (test_class_follow), not first
    assert "classroom/classroom.js" not in client.get("/").text
    html = client.get("/?class=7KQ4MX").text
    preloaded = re.findall(r'<link rel="modulepreload" href="[^"]+/js/([^"]+)">', html)
    for name in ("classroom/classroom.js", "classroom/api.js", "classroom/lead.js"):
        assert preloaded.count(name) == 1
