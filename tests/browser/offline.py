"""An exported animation, opened from disk in a Chromium with no network, plays: shared by the
page's export link (test_share) and `layerwarp export animation` (test_export_cli)."""

from pathlib import Path


def assert_plays_offline(browser, saved: Path) -> None:
    """Opens `saved` offline, presses play, and checks the points move with no request refused."""
    context = browser.new_context(offline=True, viewport={"width": 1000, "height": 800})
    failed: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file://")
            else (failed.append(route.request.url), route.abort())
        ),
    )
    offline = context.new_page()
    offline.on("requestfailed", lambda r: failed.append(r.url))
    offline.goto(saved.as_uri())
    plot = "document.querySelector('.js-plotly-plot')"
    offline.wait_for_function(f"() => window.Plotly && {plot}")
    assert offline.evaluate(f"() => {plot}._transitionData._frames.length") > 3
    # _fullData: plotly.js's decoded copy (a figure may hold its arrays as base64 typed arrays)
    points = f"() => Array.from({plot}._fullData[1].x.slice(0, 5))"
    start = offline.evaluate(points)
    offline.get_by_text("▶ play").click()
    offline.wait_for_function(f"() => {plot}.layout.sliders[0].active >= 2", timeout=15000)
    moved = offline.evaluate(points)
    assert moved != start
    assert failed == []
    context.close()
