"""trace=<index>: the table lists the point after every stage, the numbers the stream's."""

import httpx
import numpy as np

from tests.browser.wire import read_stream, stage_positions

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
