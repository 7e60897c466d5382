"""The embed in an iframe on a page from another origin, driven by postMessage; its look at
320 and 800 px. The host page is docs/embed-example.html, served by a tiny http.server."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.harness import ARTIFACTS, ROOT
from tests.support import html_host

EXAMPLE = ROOT / "docs" / "embed-example.html"
EXAMPLE_SRC = "http://127.0.0.1:8000/embed?"
RUN = "steps=400&every=5&rate=10&"  # about 8 s of snapshots: time to play and pause


@pytest.fixture(scope="module")
def host(server) -> Iterator[str]:
    """Origin of a host page on another port, embedding this test's server."""
    page = EXAMPLE.read_text(encoding="utf-8")
    assert EXAMPLE_SRC in page
    body = page.replace(EXAMPLE_SRC, f"{server}/embed?{RUN}")

    with html_host(lambda: body) as origin:
        yield origin


def messages(page, kind: str | None = None) -> list[dict]:
    return page.evaluate(
        "(kind) => window.layerwarpMessages.filter((m) => kind === null || m.type === kind)", kind
    )


def wait_message(page, kind: str, predicate: str = "true", timeout: int = 30000) -> dict:
    """The first message of `kind` received after now… or before, if `predicate` selects it."""
    handle = page.wait_for_function(
        f"""() => window.layerwarpMessages.find((m) => m.type === '{kind}' && ({predicate}))""",
        timeout=timeout,
    )
    return handle.json_value()


def send(page, message: dict) -> None:
    page.evaluate(
        """(message) => {
            const frame = document.getElementById('layerwarp');
            const origin = new URL(frame.src).origin;
            frame.contentWindow.postMessage({source: 'layerwarp', ...message}, origin);
        }""",
        message,
    )


def test_embed_across_origins_is_driven_by_post_message(browser, server, host):
    assert urlsplit(host).port != urlsplit(server).port
    # reduced motion: a host's setStage tweens through the stages between in 15 % of the time
    context = browser.new_context(viewport={"width": 1000, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(host)
    ready = wait_message(page, "ready")
    assert ready["stage"] == "input" and ready["stages"][0] == "input"
    assert ready["config"]["layers"] == 8
    frame = next(f for f in page.frames if "/embed?" in f.url)
    assert urlsplit(frame.url).port == urlsplit(server).port

    # autoplay=0: the first snapshot is shown, then the embed waits for play
    first = wait_message(page, "snapshot")
    assert first["step"] == 0 and 0 <= first["accuracy"]["train"] <= 1
    resize = wait_message(page, "resize")
    assert resize["height"] > 200
    page.wait_for_timeout(600)
    assert [m["step"] for m in messages(page, "snapshot")] == [0]

    page.click("#play")
    wait_message(page, "snapshot", "m.step >= 20")
    page.click("#pause")
    page.wait_for_timeout(700)  # a snapshot already on its way may still land
    paused_at = len(messages(page, "snapshot"))
    page.wait_for_timeout(1200)
    assert len(messages(page, "snapshot")) == paused_at
    assert frame.evaluate("() => document.querySelector('[data-embed-readout]').textContent")

    # setStage: by name from the host's menu, the embed moves there and says so
    page.select_option("#stage", "2.act")
    wait_message(page, "stage", "m.stage === '2.act'")
    frame.wait_for_function(
        "() => document.querySelector('[data-view=warp]').dataset.stage === '2.act'"
    )
    assert "stage=2.act" in frame.url

    # setConfig: unknown fields and bad values are refused with an error, and nothing changes
    url_before = frame.url
    send(page, {"type": "setConfig", "config": {"layers": 99}})
    refused = wait_message(page, "error", "m.request === 'setConfig' && m.fields.layers")
    assert "16" in refused["fields"]["layers"]
    send(page, {"type": "setConfig", "config": {"colour": "red"}})
    wait_message(page, "error", "m.request === 'setConfig' && m.fields.colour")
    send(page, {"type": "setConfig", "config": {"dataset": "custom", "data": "@@@"}})
    wait_message(page, "error", "m.request === 'setConfig' && m.fields.data")  # the server's
    send(page, {"type": "explode"})
    wait_message(page, "error", "m.request === 'explode'")
    page.wait_for_timeout(300)
    assert len(messages(page, "ready")) == 1
    assert frame.url == url_before
    assert parse_qs(urlsplit(frame.url).query)["layers"] == ["8"]

    # a good setConfig restarts the embed with the new network
    page.click("#deeper")
    wait_message(page, "ready", "m.config.layers === 4")
    assert parse_qs(urlsplit(frame.url).query)["layers"] == ["4"]
    send(page, {"type": "setConfig", "config": {"steps": 20, "residual": "true"}})
    done = wait_message(page, "done", "m.step === 20")  # a 4-layer run may have finished before
    assert done == {"source": "layerwarp", "type": "done", "reason": "steps", "step": 20}

    # resize: a narrower frame asks for a new height, which the host applies
    page.evaluate("() => { document.getElementById('layerwarp').style.width = '320px'; }")
    wait_message(page, "resize", "m.width < 330")
    # the layout may settle over more than one message: the host keeps up with the latest
    page.wait_for_function(
        """() => {
            const narrow = window.layerwarpMessages.filter(
                (m) => m.type === 'resize' && m.width < 330);
            const last = narrow[narrow.length - 1];
            return document.getElementById('layerwarp').style.height === `${last.height}px`;
        }""",
        timeout=10000,
    )
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [320, 800])
def test_embed_fills_its_frame_without_chrome(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": round(width * 0.85)})
    page = context.new_page()
    page.goto(f"{server}/embed?layers=3&steps=60&every=20&rate=20&autoplay=1&stage=2.act")
    page.wait_for_function(
        "() => document.querySelector('[data-view=warp]').dataset.step === '60'", timeout=15000
    )
    assert page.locator(".bar, [data-controls]:not([hidden])").count() == 0  # no page chrome
    plot = page.locator("[data-view=warp]").bounding_box()
    assert plot["width"] >= width - 16
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width
    bar = page.locator("[data-embed-controls]").bounding_box()
    assert bar["y"] + bar["height"] <= round(width * 0.85)  # the controls are inside the frame
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"embed-{width}.png"))
    context.close()
