"""plotly.js's two bundles (static/vendor, scripts/build-plotly) hold every trace type the app
draws: the trace types are read from the app's own sources, the bundles' from plotly.js's
registry in the page. A 2-D page never fetches the 3-D bundle; a 3-D run does, and draws."""

import inspect
import re

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType

from tests.browser.harness import ROOT

SLOW = 120000
GL3D = {"scatter3d", "mesh3d"}
REGISTERED = "() => Object.keys(Plotly.PlotSchema.get().traces)"
LAYOUT = "() => Object.keys(Plotly.PlotSchema.get().layout.layoutAttributes)"
# plotly.js components whose layout key a figure would set; build.mjs leaves out those the app
# does not use (UNUSED_COMPONENTS), so a page that starts to use one must have it put back
COMPONENTS = {
    "annotations", "images", "updatemenus", "sliders", "shapes", "selections", "legend", "grid",
}  # fmt: skip
LEFT_OUT = {"annotations", "images"}


def plotly_trace_types() -> set[str]:
    """Every trace type plotly.js has, as the plotly Python package lists them."""
    classes = [getattr(go, name) for name in dir(go)]
    return {
        kind().type
        for kind in classes
        if inspect.isclass(kind) and issubclass(kind, BaseTraceType) and kind is not BaseTraceType
    }


def app_trace_types() -> set[str]:
    """Trace types the page's scripts and the HTML export write (`type: 'scatter'`)."""
    written = set()
    for path in [*(ROOT / "static" / "js").rglob("*.js"), *(ROOT / "app" / "export").glob("*.py")]:
        written |= set(re.findall(r"""["']?type["']?\s*:\s*["'](\w+)["']""", path.read_text()))
    return written & plotly_trace_types()


def app_components() -> set[str]:
    """plotly.js components the page's scripts and the HTML export set (`shapes: marks`)."""
    written = set()
    for path in [*(ROOT / "static" / "js").rglob("*.js"), *(ROOT / "app" / "export").glob("*.py")]:
        written |= set(re.findall(r"""\b(\w+)["']?\s*:""", path.read_text()))
    return written & COMPONENTS


def test_the_app_draws_these_trace_types():
    # a floor, so that a grep gone blind cannot pass the tests below with nothing to check
    assert {"scatter", "contour", "image", "scatter3d", "mesh3d"} <= app_trace_types()


def test_a_2d_page_has_every_2d_trace_and_never_fetches_the_3d_bundle(watched):
    watched.open("layers=2&steps=40&every=20")
    watched.wait_drawn(timeout=SLOW)
    registered = set(watched.page.evaluate(REGISTERED))
    assert app_trace_types() - GL3D <= registered
    assert not GL3D & registered  # gl3d is not in the first load
    assert not [url for url in watched.requests if url.endswith("-3d.min.js")]
    layout = set(watched.page.evaluate(LAYOUT))
    assert {"shapes", "legend"} <= app_components() <= layout
    assert not LEFT_OUT & layout  # left out of the bundle: bytes a phone need not load
    assert not watched.errors


def test_a_3d_run_fetches_the_3d_bundle_and_draws_with_every_trace(watched):
    watched.open("dataset=spiral3&width=3&layers=2&steps=40&every=20&loop=0")
    watched.wait_drawn(timeout=SLOW)
    assert app_trace_types() <= set(watched.page.evaluate(REGISTERED))
    drawn = {trace["type"] for trace in watched.warp_data()}
    assert "scatter3d" in drawn
    assert watched.page.evaluate(
        "() => document.querySelector('[data-view=\"warp\"]')._fullLayout.scene !== undefined"
    )
    assert [url for url in watched.requests if url.endswith("-3d.min.js")]
    assert not watched.errors


def test_a_2d_page_that_turns_3d_fetches_the_bundle_then(watched):
    watched.open("layers=2&steps=40&every=20&loop=0")
    watched.wait_drawn(timeout=SLOW)
    assert "scatter3d" not in watched.page.evaluate(REGISTERED)
    watched.page.select_option("[data-field='width']", "3")
    watched.page.wait_for_function(
        "() => document.querySelector('[data-view=\"warp\"]')._fullLayout?.scene !== undefined",
        timeout=SLOW,
    )
    assert set(watched.page.evaluate(REGISTERED)) >= GL3D
    assert not watched.errors
