"""Shared by the browser tests and bench/page.py: which Chromium, how to launch it, a server."""

import json
import os
import subprocess
from pathlib import Path

from tests.support import HOST, ROOT, free_port, serve, stop, wait_until_up

__all__ = [
    "ARTIFACTS", "CHROMIUM", "LAUNCH_ARGS", "PIXELS_OF", "ROOT", "SETTLED", "evaluate_json",
    "free_port", "settle", "start_server", "stop_server",
]  # fmt: skip

CHROMIUM = Path(os.environ.get("LAYERWARP_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def start_server(port: int, settings: dict[str, str] | None = None) -> subprocess.Popen:
    """`layerwarp serve` on `port` (with `settings` as LAYERWARP_* variables and a training
    process per CPU, as by default); returns once `/` answers."""
    named = {"compute_processes": os.cpu_count() or 1}
    named.update({k.removeprefix("LAYERWARP_").lower(): v for k, v in (settings or {}).items()})
    process = serve(port, quiet=False, **named)
    try:
        wait_until_up(f"http://{HOST}:{port}", process=process, path="/")
    except RuntimeError:
        stop(process)
        raise
    return process


stop_server = stop


SETTLED = """() => {
  const warp = document.querySelector('[data-view="warp"]');
  if (warp.dataset.step === undefined || warp.dataset.animating) return false;
  const single = document.documentElement.dataset.lessonView === 'step';
  if (single && !document.querySelector('[data-single-step] [data-example]')) return false;
  // every plot on screen drawn at its box's size: none waits for a resize
  return [...document.querySelectorAll('.plot[data-view]')].every((el) => {
    if (!el.getClientRects().length) return true;
    const svg = el.querySelector('.main-svg');
    if (!svg) return false;
    return Math.abs(svg.getAttribute('width') - el.clientWidth) <= 2
      && Math.abs(svg.getAttribute('height') - el.clientHeight) <= 2;
  });
}"""


def settle(page) -> None:
    """Wait until the page is drawn and every visible plot fits its box, twice 400 ms apart."""
    for _ in range(2):
        page.wait_for_function(SETTLED, timeout=60000)
        page.wait_for_timeout(400)
    page.wait_for_function(SETTLED, timeout=60000)


# An image's pixels as a screen would show them (RGBA rows from the top), for tests that read a
# picture the page drew: a page script says `const pixelsOf = PIXELS_OF;`, then puts this text
# in place of that name.
PIXELS_OF = """async (source) => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return { width: image.width, height: image.height,
    data: context.getImageData(0, 0, image.width, image.height).data };
}"""


def evaluate_json(target, script: str, arg: object = None) -> object:
    """`target.evaluate(script, arg)` for a large answer (pixels, positions): the page sends it as
    one JSON string. Playwright checks every value of an answer in Python, one by one: 450,000
    numbers take ~10 s that way and ~0.6 s as one string."""
    text = target.evaluate(f"async (arg) => JSON.stringify(await ({script})(arg))", arg)
    return json.loads(text)
