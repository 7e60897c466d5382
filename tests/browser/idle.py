"""A page at rest, shared by tests/browser/test_idle.py and bench/idle.py: the animation frames
it asks for, and when its run is done and the layers have played."""

# Counts the animation frames the page asks for, plotly.js's and the app's alike (an init script:
# plotly.js's gl3d loop looks requestAnimationFrame up on window each time).
FRAME_REQUESTS = """
window.__frameRequests = 0;
const request = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback) => {
  window.__frameRequests += 1;
  return request(callback);
};
"""
# Done, drawn, and no pass of the layers playing.
AT_REST = """() => {
  const done = document.querySelector('[data-status]')?.dataset.kind?.startsWith('done');
  const warp = document.querySelector('[data-view="warp"]');
  const play = document.querySelector('[data-action="play-layers"]');
  const playing = play?.getAttribute('aria-pressed') === 'true';
  return done && warp.dataset.step !== undefined && !warp.dataset.animating && !playing;
}"""


def at_rest(page, settle_ms: int = 3000) -> None:
    """Wait until the run is done and the layers have played, then `settle_ms` more."""
    page.wait_for_function(AT_REST, timeout=120000)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(AT_REST, timeout=120000)


def frames_asked(page, ms: int) -> int:
    """How many animation frames the page asks for in the next `ms`."""
    before = page.evaluate("() => window.__frameRequests")
    page.wait_for_timeout(ms)
    return page.evaluate("() => window.__frameRequests") - before
