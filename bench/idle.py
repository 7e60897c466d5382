"""What a page left open costs once its run is done and the layers have played (`bench.page`):
CPU-seconds a minute by Chromium's Performance.getMetrics TaskDuration, with the animation frames
the page asked for in that time, 2-D and 3-D, shown and hidden.

Headless Chromium shows every tab, so "hidden" is emulated: document.hidden turns true and
visibilitychange fires, as when a reader switches tabs. What the page's own code does then is
measured; a real hidden tab also gets no animation frames at all, which this cannot show."""

import time

from tests.browser.idle import FRAME_REQUESTS, at_rest

HIDE = """() => {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
}"""
# Short runs: done within seconds, then the hands-free motion plays the layers once.
IDLE_RUNS = {
    "2d": "/?layers=2&steps=200&every=50",
    "3d": "/?dataset=spiral3&width=3&layers=2&steps=200&every=50",
}


def task_seconds(session) -> float:
    """The renderer's main-thread task time so far, less the time spent answering DevTools."""
    metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    return metrics["TaskDuration"] - metrics["DevToolsCommandDuration"]


def cost(page, session, seconds: float) -> tuple[float, int]:
    """(CPU-seconds a minute, animation frames asked for) over the next `seconds`."""
    frames = page.evaluate("() => window.__frameRequests")
    task, start = task_seconds(session), time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    spent, elapsed = task_seconds(session) - task, time.monotonic() - start
    frames = page.evaluate("() => window.__frameRequests") - frames
    return round(spent / elapsed * 60, 3), frames


def idle(browser, base: str, seconds: float = 20) -> dict:
    """Each run's idle cost shown, then hidden."""
    figures = {}
    for name, query in IDLE_RUNS.items():
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.add_init_script(FRAME_REQUESTS)
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Performance.enable")
        page.goto(base + query)
        at_rest(page)
        shown, shown_frames = cost(page, session, seconds)
        page.evaluate(HIDE)
        hidden, hidden_frames = cost(page, session, seconds)
        context.close()
        figures.update({
            f"idle_{name}_cpu_s_per_min": shown,
            f"idle_{name}_frames_asked": shown_frames,
            f"idle_{name}_hidden_cpu_s_per_min": hidden,
            f"idle_{name}_hidden_frames_asked": hidden_frames,
        })  # fmt: skip
    figures["idle_seconds_measured"] = seconds
    return figures
