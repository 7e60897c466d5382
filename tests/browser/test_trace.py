"""trace=<index>: the table lists the point after every stage, the numbers the stream's."""

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
