"""trace=<index>: the table lists the point after every stage, the numbers the stream's."""

import httpx
import numpy as np

from tests.browser.frames import api_snapshot, inner_point, read_frame, ring_centre, to_pixels
from tests.browser.wire import groups, read_stream, stage_positions

RUN = "layers=2&steps=20&every=20&rate=20"


def _shown(text: str) -> list[float]:
    return [float(v.replace("−", "-")) for v in text.strip("[]").split(",")]


def test_the_traced_points_table_equals_the_snapshots_positions(watched, server):
    meta, snapshots = read_stream(server, RUN)
    last = snapshots[max(snapshots)]
    index = meta["n_train"] + 3  # a test point
    watched.open(f"{RUN}&trace={index}")
    watched.wait_drawn(step=last["step"], timeout=60000)
    page = watched.page
    page.wait_for_selector("[data-trace-stage='2.act']")
    assert page.text_content(".trace-title").startswith(f"Point {index} (class ")
    row = meta["grid"]["count"] + index
    for name in meta["stages"]:
        cells = page.locator(f"[data-trace-stage='{name}'] td").all_text_contents()
        expected = stage_positions(meta, last, name)[row]
        np.testing.assert_allclose(_shown(cells[0]), expected, atol=0.0006)
    # the worked formula of layer 2 starts from layer 1's output and ends at 2.act
    worked = page.locator("[data-trace-stage='2.act'] td").nth(1).text_content()
    assert worked.startswith("tanh([")
    before = stage_positions(meta, last, "1.act")[row]
    assert f"·[{', '.join(f'{v:.3f}' for v in before)}]".replace("-", "−") in worked
    assert "trace=" in page.evaluate("() => location.search")
    assert watched.errors == []


def test_without_a_traced_point_no_table_shows(watched):
    watched.open(f"{RUN}&stage=input")
    watched.wait_drawn(step=20, timeout=60000)
    assert watched.page.locator("[data-view='trace'] *").count() == 0
    assert "trace=" not in watched.page.evaluate("() => location.search")


def test_the_embeds_trace_reply_matches_the_snapshot(browser, server):
    """A host page asks the embed for a point's journey and gets /api/snapshot's positions."""
    query = "layers=2&steps=10&every=10&rate=20&autoplay=1"
    page = browser.new_page()
    try:
        page.set_content(
            f"""<script>window.got = [];
            addEventListener('message', (e) => window.got.push(e.data));</script>
            <iframe id="frame" src="{server}/embed?{query}" width="600" height="450"></iframe>"""
        )
        page.wait_for_function("() => window.got.some((m) => m.type === 'done')", timeout=60000)
        ask = """(message) => document.getElementById('frame').contentWindow.postMessage(
            {source: 'layerwarp', ...message}, '*')"""
        page.evaluate(ask, {"type": "trace", "index": 5})
        reply = page.wait_for_function(
            "() => window.got.find((m) => m.type === 'trace')", timeout=30000
        ).json_value()
        plain = httpx.get(f"{server}/api/snapshot?{query}&step={reply['step']}", timeout=60).json()
        assert reply["index"] == 5 and set(reply["stages"]) == {s["name"] for s in plain["stages"]}
        for stage in plain["stages"]:
            expected = np.array(stage["points"][5])
            span = np.ptp(np.concatenate([stage["grid"], stage["points"]]), axis=0)
            np.testing.assert_allclose(
                reply["stages"][stage["name"]], expected, atol=2e-4 * span.max()
            )
        page.evaluate(ask, {"type": "trace", "index": 10**6})
        error = page.wait_for_function(
            "() => window.got.find((m) => m.type === 'error' && m.request === 'trace')",
            timeout=30000,
        ).json_value()
        assert "no point 1000000" in error["message"]
    finally:
        page.close()


# Where each drawn point of a plot is on screen: its trace's customdata (the point's index),
# its data coordinates, and its page pixel through the axes' l2p from the plot area's corner.
_ON_SCREEN = """(view) => {
  const gd = document.querySelector(`[data-view="${view}"]`);
  const box = gd.getBoundingClientRect();
  const { xaxis, yaxis } = gd._fullLayout;
  return gd.data.filter((t) => t.customdata).flatMap((t) => Array.from(t.x, (x, i) => ({
    index: t.customdata[i], x, y: t.y[i],
    px: box.left + xaxis._offset + xaxis.l2p(x),
    py: box.top + yaxis._offset + yaxis.l2p(t.y[i]) })));
}"""


def _loneliest(points: list[dict]) -> dict:
    """The point farthest on screen from any other: a click there can only mean it."""
    xy = np.array([[p["px"], p["py"]] for p in points])
    gaps = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    return points[int(gaps.min(axis=1).argmax())]


def _drawn(page, view: str, name: str) -> np.ndarray:
    trace = page.evaluate(
        "([view, name]) => document.querySelector(`[data-view='${view}']`).data"
        ".filter((t) => t.name === name).map((t) => [Array.from(t.x), Array.from(t.y)])[0]",
        [view, name],
    )
    return np.array(trace).T


def test_clicking_a_point_traces_it_in_the_url_the_table_and_both_views(watched, server):
    meta, snapshots = read_stream(server, RUN)
    last = snapshots[max(snapshots)]
    stages = meta["stages"]
    shown = stages.index("1.act")
    watched.open(f"{RUN}&stage=1.act")
    watched.wait_drawn(step=last["step"], stage="1.act", timeout=60000)
    page = watched.page
    assert "trace=" not in page.url
    points = page.evaluate(_ON_SCREEN, "warp")
    assert len(points) == meta["n_train"] + meta["n_test"]
    target = _loneliest(points)
    index = target["index"]
    row = meta["grid"]["count"] + index
    # the point under the click is the one the stream puts there
    np.testing.assert_allclose(
        [target["x"], target["y"]], stage_positions(meta, last, "1.act")[row], atol=1e-6
    )
    page.mouse.move(target["px"], target["py"])
    page.mouse.click(target["px"], target["py"])
    page.wait_for_function(f"() => location.search.includes('trace={index}')")
    assert page.locator(".hoverlayer .hovertext").count() == 0  # a point shows no tooltip
    page.wait_for_selector("[data-trace-stage='2.act']")
    assert page.text_content(".trace-title").startswith(f"Point {index} (class ")
    # a ring on the point at the stage shown, and its path through input … 1.act
    page.wait_for_function(
        "() => document.querySelector('[data-view=\"warp\"]').data"
        ".some((t) => t.name === 'trace-ring' && t.x.length === 1)"
    )
    expected = np.array([stage_positions(meta, last, name)[row] for name in stages[: shown + 1]])
    np.testing.assert_allclose(_drawn(page, "warp", "trace-ring"), expected[-1:], atol=1e-6)
    np.testing.assert_allclose(_drawn(page, "warp", "trace-path"), expected, atol=1e-6)
    ring = page.evaluate("() => document.querySelector('[data-view=\"warp\"]').data.at(-1).name")
    assert ring == "trace-ring"  # drawn last: on top

    # the input view: its ring follows, and a click there traces another point
    page.wait_for_function(
        "() => document.querySelector('[data-view=\"field\"]').data"
        ".some((t) => t.name === 'trace-ring' && t.x.length === 1)"
    )
    inputs = stage_positions(meta, last, "input")
    np.testing.assert_allclose(_drawn(page, "field", "trace-ring"), inputs[[row]], atol=1e-6)
    others = [p for p in page.evaluate(_ON_SCREEN, "field") if p["index"] != index]
    other = _loneliest(others)
    page.mouse.move(other["px"], other["py"])
    page.mouse.click(other["px"], other["py"])
    page.wait_for_function(f"() => location.search.includes('trace={other['index']}')")
    page.wait_for_function(
        f"() => document.querySelector('.trace-title').textContent"
        f".startsWith('Point {other['index']} (')"
    )
    moved = meta["grid"]["count"] + other["index"]
    page.wait_for_function(
        "(x) => document.querySelector('[data-view=\"field\"]').data"
        ".some((t) => t.name === 'trace-ring' && Math.abs(t.x[0] - x) < 1e-6)",
        arg=float(inputs[moved, 0]),
    )
    np.testing.assert_allclose(_drawn(page, "field", "trace-ring"), inputs[[moved]], atol=1e-6)
    np.testing.assert_allclose(
        _drawn(page, "warp", "trace-ring"),
        stage_positions(meta, last, "1.act")[[moved]],
        atol=1e-6,
    )
    assert watched.errors == []


def test_the_traced_point_is_marked_in_3d_and_in_every_filmstrip_frame(watched, server):
    """A width-3 net: the 3-D view rings the traced point at /api/snapshot's position for the
    stage shown and draws its path through every stage up to it; each filmstrip frame (drawn
    by x, y) rings it where that frame's stage puts it."""
    query = "width=3&layers=2&steps=20&every=20&rate=20"
    meta, snapshots = read_stream(server, query)
    step = max(snapshots)
    strip = ["input", "1.act", "2.act"]
    index = inner_point(meta, [stage_positions(meta, snapshots[step], name) for name in strip])
    watched.open(f"{query}&stage=1.act&trace={index}&view=filmstrip")
    watched.wait_drawn(step=step, stage="1.act", timeout=60000)
    page = watched.page
    shown = api_snapshot(server, query, step)
    stages = meta["stages"]
    path = [shown["stages"][name][index] for name in stages[: stages.index("1.act") + 1]]
    span = max(np.ptp(points) for points in shown["stages"].values())
    drawn = {
        trace["name"]: np.array([trace["x"], trace["y"], trace["z"]]).T
        for trace in watched.warp_data()
        if trace["name"] in ("trace-ring", "trace-path")
    }
    assert all(t["type"] == "scatter3d" for t in watched.warp_data())
    np.testing.assert_allclose(drawn["trace-ring"], [path[-1]], atol=2e-4 * span)
    np.testing.assert_allclose(drawn["trace-path"], path, atol=2e-4 * span)

    page.wait_for_function(
        "(step) => document.querySelector('[data-view=\"filmstrip\"]').dataset.step === step",
        arg=str(step),
    )
    for name in strip:
        frame = read_frame(page, name)
        ring = ring_centre(frame)
        assert ring is not None, f"{name}: no ring"
        expected = to_pixels(frame, shown["stages"][name][[index]])[0]
        np.testing.assert_allclose(ring, expected, atol=1.5)
    assert watched.errors == []


def test_clicking_a_point_in_the_embed_traces_it(watched, server):
    """The embed (no autoplay: it shows step 0): a click on a point rings it and puts
    trace=<index> in the embed's own URL, so a reload inside the iframe follows it too."""
    page = watched.page
    page.goto(f"{server}/embed?{RUN}&stage=1.act")
    page.wait_for_function(
        """() => { const el = document.querySelector('[data-view="warp"]');
          return el.dataset.stage === '1.act' && !el.dataset.animating; }""",
        timeout=60000,
    )
    target = _loneliest(page.evaluate(_ON_SCREEN, "warp"))
    page.mouse.move(target["px"], target["py"])
    page.mouse.click(target["px"], target["py"])
    page.wait_for_function(f"() => location.search.includes('trace={target['index']}')")
    page.wait_for_function(
        "() => document.querySelector('[data-view=\"warp\"]').data"
        ".some((t) => t.name === 'trace-ring' && t.x.length === 1)"
    )
    ring = _drawn(page, "warp", "trace-ring")
    np.testing.assert_allclose(ring, [[target["x"], target["y"]]], atol=1e-6)
    assert watched.errors == []


def test_a_point_picked_in_the_3d_scene_is_traced(watched, server):
    """Each 3-D point carries its index (the scene hands it to a click), where /api/snapshot
    puts that index; the scene's click event for one of them traces it: URL, table and a ring
    at the snapshot's position. (plotly.js reports a 3-D click only from a WebGL pick while
    the button is down, which headless Chromium does not do reliably, so the scene's own
    event is emitted here.)"""
    query = "width=3&layers=2&steps=20&every=20&rate=20"
    meta, snapshots = read_stream(server, query)
    step = max(snapshots)
    watched.open(f"{query}&stage=input")
    watched.wait_drawn(step=step, stage="input", timeout=60000)
    page = watched.page
    shown = api_snapshot(server, query, step)["stages"]["input"]
    groups = page.evaluate(
        """() => document.querySelector('[data-view="warp"]').data
            .filter((t) => t.type === 'scatter3d' && t.customdata)
            .map((t) => ({x: t.x, y: t.y, z: t.z, index: t.customdata, hover: t.hoverinfo}))"""
    )
    indices = sorted(i for group in groups for i in group["index"])
    assert indices == list(range(meta["n_train"] + meta["n_test"]))
    for group in groups:
        assert group["hover"] != "skip"  # 'skip' would make the points unpickable
        drawn = np.array([group["x"], group["y"], group["z"]]).T
        np.testing.assert_allclose(drawn, np.asarray(shown)[group["index"]], atol=1e-6)
    index = groups[0]["index"][len(groups[0]["index"]) // 2]
    page.evaluate(
        """(index) => {
            const el = document.querySelector('[data-view="warp"]');
            const trace = el.data.findIndex((t) => t.customdata && t.customdata.includes(index));
            el.emit('plotly_click', { points: [{ curveNumber: trace,
                pointNumber: el.data[trace].customdata.indexOf(index), customdata: index }] });
        }""",
        index,
    )
    page.wait_for_function(
        f"() => location.search.includes('trace={index}&') || "
        f"location.search.endsWith('trace={index}')"
    )
    page.wait_for_function(
        "() => document.querySelector('[data-view=\"warp\"]').data"
        ".some((t) => t.name === 'trace-ring' && t.x.length === 1)"
    )
    ring = [t for t in watched.warp_data() if t["name"] == "trace-ring"][0]
    np.testing.assert_allclose([ring["x"][0], ring["y"][0], ring["z"][0]], shown[index], atol=1e-6)
    assert page.text_content(".trace-title").startswith(f"Point {index} (")
    assert watched.errors == []


MARKER_CENTRES = """() => {
    // the centre of every drawn marker of the warp view, trace by trace, as the screen shows them
    const traces = [...document.querySelectorAll('[data-view="warp"] .scatterlayer .trace')];
    return traces.map((trace) => [...trace.querySelectorAll('path.point')].map((path) => {
        const box = path.getBoundingClientRect();
        return [box.left + box.width / 2, box.top + box.height / 2];
    })).filter((points) => points.length);
}"""


def test_clicking_each_drawn_point_traces_that_point(watched, server):
    """Dead centre on a marker traces that marker's point, not a neighbour whose marker also
    covers the pointer (Plotly scores every covering marker alike: the earliest trace won)."""
    run = "points=100&layers=1&steps=20&every=20&rate=20&stage=input"
    meta, _ = read_stream(server, run)
    watched.open(run)
    watched.wait_drawn(step=20, stage="input", timeout=60000)
    page = watched.page
    drawn = page.evaluate(MARKER_CENTRES)
    shown = [(c, part, rows) for c, part, rows in groups(meta) if len(rows)]
    assert [len(points) for points in drawn] == [len(rows) for *_, rows in shown]
    markers = [
        (np.array(centre), int(row) - meta["grid"]["count"], c, part)
        for points, (c, part, rows) in zip(drawn, shown, strict=True)
        for centre, row in zip(points, rows, strict=True)
    ]
    centres = np.array([m[0] for m in markers])
    wrong, clicked = [], 0
    for centre, index, c, part in markers:
        gaps = np.sort(np.hypot(*(centres - centre).T))  # gaps[0] is the point itself
        if gaps[1] < 3:  # another point within a pixel or two: no one can tell them apart
            continue
        page.wait_for_timeout(350)  # a person's pace: Plotly takes two clicks in 300 ms as a double
        page.mouse.click(*np.round(centre))  # a mouse lands on whole pixels
        page.wait_for_selector(".trace-title", timeout=15000)
        expected = f"Point {index} (class {c}, {part})"
        try:
            page.wait_for_function(
                "(start) => document.querySelector('.trace-title').textContent.startsWith(start)",
                arg=expected,
                timeout=3000,
            )
            clicked += 1
        except Exception:  # noqa: BLE001 -- collected: every wrong trace is reported at once
            wrong.append((expected, page.text_content(".trace-title")))
    assert wrong == [], f"{len(wrong)} of {clicked + len(wrong)} clicks traced another point"
    assert clicked > 60
