"""Page benchmark in headless Chromium on localhost; prints JSON figures (targets in `targets`).

    python -m bench.page [--url http://127.0.0.1:8000]

Without --url it starts app.main:app with uvicorn on a free loopback port. Figures:
first drawn snapshot after navigation (cold and warm cache, after one visit from another
browser context has woken the server and Chromium; that first visit is reported too; the
canvas sketch counts, and when Plotly first draws is reported beside it), frames per second
while the warp view tweens between stages at the default grid, and bytes transferred on a first
load and on a reload — the page's own resources, with the event stream's bytes reported apart —
the same tween's frames per second in a 3-D run (reported, no target: WebGL in a headless
Chromium without a GPU is software-rendered), and the layer playground's redraws per second
while a handle is dragged; with the filmstrip open (`view=filmstrip`, 8 layers) while a run
trains, what one redraw of the strip costs per snapshot and the warp view's tween frames per
second; what a page left open costs once its run is done (bench/idle.py), and the first draws
on a throttled phone profile (bench/phone.py).
"""

import argparse
import json
from contextlib import contextmanager

from playwright.sync_api import sync_playwright

from bench.idle import idle
from bench.phone import phone
from tests.browser.harness import CHROMIUM, LAUNCH_ARGS, free_port, start_server, stop_server

TARGETS = {
    "first_snapshot_ms": "<= 1000",
    "tween_fps": ">= 30",
    "first_load_kb": "<= 600",
    "reload_kb": "<= 60",
    "playground_drag_fps": ">= 30",
    "tween_fps_filmstrip": ">= 30",
    "idle_2d_cpu_s_per_min": "<= 1",
    "idle_3d_cpu_s_per_min": "<= 1",
    "phone_2d_first_plotly_draw_ms": "<= 6000",
}
# Collects every filmstrip redraw's cost (render/filmstrip.js leaves it in data-draw-ms).
FILMSTRIP_COSTS = """
window.__strip = [];
new MutationObserver((changes) => {
  for (const change of changes) window.__strip.push(Number(change.target.dataset.drawMs));
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-draw-ms'] });
"""
# 10 snapshots a second from a run that never converges (noisy labels), so the strip keeps redrawing
FILMSTRIP_RUN = "view=filmstrip&layers=8&label_noise=0.15&steps=4000&every=10&rate=10"

# Counts the playground's redraws while a handle is dragged: a frame counts when the plane's
# data-frame moved on since the last animation frame; its draw's own cost is data-draw-ms.
PLAYGROUND_COUNTER = """
window.__drag = { count: 0, ms: 0, gaps: [], drawMs: [] };
let last = null;
let seen = null;
const watch = (now) => {
  const plane = document.querySelector('[data-plane]');
  const dragging = plane && plane.dataset.dragging;
  if (dragging && plane.dataset.frame !== seen) {
    if (last !== null) {
      window.__drag.count += 1;
      window.__drag.ms += now - last;
      window.__drag.gaps.push(now - last);
      window.__drag.drawMs.push(Number(plane.dataset.drawMs));
    }
    last = now;
    seen = plane.dataset.frame;
  }
  if (!dragging) last = null;
  requestAnimationFrame(watch);
};
requestAnimationFrame(watch);
"""
DRAG_SECONDS = 3
# The pointer moves once per animation frame, as a hand's would: the mouse is pressed for real
# (so the page captures pointer 1) and the moves are that pointer's events, sent in the page,
# because each move sent from here is a round trip that can take longer than a frame.
CIRCLE = """([x, y, seconds]) => new Promise((done) => {
  const plane = document.querySelector('[data-plane]');
  const start = performance.now();
  const move = (now) => {
    const angle = 2 * Math.PI * (now - start) / 1500;
    plane.dispatchEvent(new PointerEvent('pointermove', { pointerId: 1, bubbles: true,
      clientX: x + 60 * Math.sin(angle), clientY: y + 60 * (1 - Math.cos(angle)) }));
    if (now - start < seconds * 1000) requestAnimationFrame(move);
    else done();
  };
  requestAnimationFrame(move);
})"""
# Records when the warp view first shows a snapshot (the canvas sketch or the Plotly plot) and
# when Plotly first draws one, in ms since navigation started.
FIRST_DRAWN = """
new MutationObserver((changes, observer) => {
  for (const change of changes) {
    const data = change.target.dataset;
    if (!data || (data.step === undefined && data.sketchStep === undefined)) continue;
    window.__firstDrawn ??= performance.now();
    if (data.step !== undefined) {
      window.__firstPlotted = performance.now();
      observer.disconnect();
      return;
    }
  }
}).observe(document, {
  subtree: true, attributes: true, attributeFilter: ['data-step', 'data-sketch-step'],
});
"""
# Counts animation frames while the warp view is mid-tween.
FRAME_COUNTER = """
window.__frames = { count: 0, ms: 0, gaps: [] };
let previous = null;
const tick = (now) => {
  const busy = document.querySelector('[data-view="warp"]')?.dataset.animating;
  if (busy && previous !== null) {
    window.__frames.count += 1;
    window.__frames.ms += now - previous;
    window.__frames.gaps.push(now - previous);
  }
  previous = busy ? now : null;
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
"""


@contextmanager
def served(url: str | None):
    """`url` as given, or a fresh app.main:app on a free loopback port for the duration."""
    if url:
        yield url
        return
    port = free_port()
    process = start_server(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(process)


class Traffic:
    """Bytes on the wire per request (CDP encodedDataLength), the event stream kept apart."""

    def __init__(self, page) -> None:
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.session.on("Network.requestWillBeSent", self._sent)
        self.session.on("Network.dataReceived", self._data)
        self.session.on("Network.loadingFinished", self._finished)

    def _sent(self, event) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _data(self, event) -> None:
        rid = event["requestId"]
        self.sizes[rid] = self.sizes.get(rid, 0) + event["encodedDataLength"]

    def _finished(self, event) -> None:
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def reset(self) -> None:
        self.urls.clear()
        self.sizes.clear()

    def totals(self) -> dict[str, float]:
        page = stream = 0
        for rid, size in self.sizes.items():
            if "/api/stream" in self.urls.get(rid, ""):
                stream += size
            else:
                page += size
        return {"page_kb": round(page / 1024, 1), "stream_kb": round(stream / 1024, 1)}


def first_drawn(page) -> tuple[float, float]:
    """(first drawn snapshot, first Plotly-drawn snapshot) in ms after navigation."""
    page.wait_for_function("() => window.__firstPlotted !== undefined", timeout=30000)
    drawn, plotted = page.evaluate("() => [window.__firstDrawn, window.__firstPlotted]")
    return round(drawn, 1), round(plotted, 1)


def playground_drag(browser, base: str) -> dict:
    """Redraws per second of /playground while W's first column is dragged round a circle."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(PLAYGROUND_COUNTER)
    page = context.new_page()
    page.goto(f"{base}/playground?W=1.2,0.4,-0.5,0.9&b=0.3,-0.2&activation=tanh&stage=act")
    page.wait_for_selector("[data-playground][data-ready]")
    box = page.locator("[data-handle='e1'] .mark").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(CIRCLE, [x, y, DRAG_SECONDS])
    page.mouse.up()
    drag = page.evaluate("() => window.__drag")
    context.close()
    costs = sorted(drag["drawMs"]) or [0.0]
    return {
        **frame_rate(drag, "playground_drag_{}"),
        "playground_draw_ms_median": round(costs[len(costs) // 2], 2),
    }


def tween_frames(page) -> dict:
    """Six stage moves (input → 1.W → … → 2.act) by the stepper; the frames counted meanwhile."""
    page.evaluate("() => { window.__frames = { count: 0, ms: 0, gaps: [] }; }")
    for _ in range(6):
        page.click('[data-action="stage-next"]')
        page.wait_for_function(
            "() => !document.querySelector('[data-view=\"warp\"]').dataset.animating"
        )
    return page.evaluate("() => window.__frames")


def frame_rate(frames: dict, name: str) -> dict:
    """fps, frame count, median and 95th-percentile frame gap of a frame count, each figure
    named by putting fps, frames, frame_ms_median or frame_ms_p95 into `name`."""
    gaps = sorted(frames["gaps"]) or [0.0]
    figures = {
        "fps": round(frames["count"] / (frames["ms"] / 1000), 1) if frames["ms"] else 0.0,
        "frames": frames["count"],
        "frame_ms_median": round(gaps[len(gaps) // 2], 1),
        "frame_ms_p95": round(gaps[int(len(gaps) * 0.95)], 1),
    }
    return {name.format(figure): value for figure, value in figures.items()}


def tween_3d(browser, base: str) -> dict:
    """Frames per second while a 3-D run's warp view tweens input → 1.W → … → 2.act, paused."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(FRAME_COUNTER)
    page = context.new_page()
    page.goto(f"{base}/?dataset=spiral3&width=3&layers=2&steps=200&every=50&stage=input&loop=0")
    page.wait_for_function(
        "() => document.querySelector('[data-view=\"warp\"]')._fullLayout?.scene !== undefined",
        timeout=60000,
    )
    page.click('[data-action="pause"]')
    tween = frame_rate(tween_frames(page), "tween_3d_{}")
    context.close()
    return tween


def filmstrip(browser, base: str) -> dict:
    """The filmstrip open while a run trains: its redraw cost per snapshot, and the tween's
    frame rate with it open (the strip waits while the warp view tweens: views.js)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(FILMSTRIP_COSTS)
    context.add_init_script(FRAME_COUNTER)
    page = context.new_page()
    page.goto(f"{base}/?{FILMSTRIP_RUN}&stage=input")
    page.wait_for_function("() => window.__strip.length >= 10", timeout=120000)
    tween = frame_rate(tween_frames(page), "tween_{}_filmstrip")
    costs = sorted(page.evaluate("() => window.__strip"))
    context.close()
    return {
        "filmstrip_redraw_ms_median": round(costs[len(costs) // 2], 2),
        "filmstrip_redraw_ms_p95": round(costs[int(len(costs) * 0.95)], 2),
        "filmstrip_redraws": len(costs),
        **tween,
    }


def measure(base: str) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        # A first visit in a context of its own: it pays for the server's first requests and for
        # Chromium's own start; the measured context below still has an empty cache.
        fresh = browser.new_context(viewport={"width": 1366, "height": 768})
        fresh.add_init_script(FIRST_DRAWN)
        first_visit = fresh.new_page()
        first_visit.goto(f"{base}/?seed=1")
        first_visit_ms, _ = first_drawn(first_visit)
        fresh.close()

        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.add_init_script(FIRST_DRAWN)
        context.add_init_script(FRAME_COUNTER)
        page = context.new_page()
        traffic = Traffic(page)

        page.goto(f"{base}/")
        cold_ms, cold_plotted_ms = first_drawn(page)
        page.wait_for_timeout(300)
        first = traffic.totals()

        traffic.reset()
        page.reload()
        warm_ms, warm_plotted_ms = first_drawn(page)
        page.wait_for_timeout(300)
        reload = traffic.totals()

        # tween through the first two layers (input → 1.W → … → 2.act) with the run paused
        page.click('[data-action="pause"]')
        tween = frame_rate(tween_frames(page), "tween_{}")
        three = tween_3d(browser, base)
        playground = playground_drag(browser, base)
        strip = filmstrip(browser, base)
        resting = idle(browser, base)
        throttled = phone(browser, base, FIRST_DRAWN, Traffic)
        browser.close()
    return {
        "first_snapshot_ms": cold_ms,
        "first_snapshot_warm_ms": warm_ms,
        "first_snapshot_server_first_visit_ms": first_visit_ms,
        "first_plotly_draw_ms": cold_plotted_ms,
        "first_plotly_draw_warm_ms": warm_plotted_ms,
        **tween,
        "first_load_kb": first["page_kb"],
        "first_load_stream_kb": first["stream_kb"],
        "reload_kb": reload["page_kb"],
        "reload_stream_kb": reload["stream_kb"],
        **three,
        **playground,
        **strip,
        **resting,
        **throttled,
        "targets": TARGETS,
    }


def measure_phone(base: str) -> dict:
    """The throttled phone profile alone (`--phone`): a minute, where the whole page takes ten."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        throttled = phone(browser, base, FIRST_DRAWN, Traffic)
        browser.close()
    targets = {k: v for k, v in TARGETS.items() if k.startswith("phone")}
    return {**throttled, "targets": targets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server; default: start one")
    parser.add_argument("--phone", action="store_true", help="the throttled phone profile only")
    args = parser.parse_args()
    with served(args.url) as base:
        print(json.dumps((measure_phone if args.phone else measure)(base), indent=2))


if __name__ == "__main__":
    main()
