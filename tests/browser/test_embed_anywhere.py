"""Embeds work from anywhere by default: a file:// page (a teacher's offline slides), a page
written into about:blank, a srcdoc frame and another http origin each get a `ready`. A configured
LAYERWARP_FRAME_ANCESTORS list still restricts: Chromium refuses the frame and nothing is posted."""

from collections.abc import Iterator
from html import escape

import pytest

from tests.browser.harness import free_port, start_server, stop_server
from tests.support import html_host

RUN = "layers=2&steps=20&every=5&rate=20"
# the top page records every message; a srcdoc frame passes its embed's messages up to it
LISTEN = "<script>window.got = []; addEventListener('message', (e) => got.push(e.data));</script>"
RELAY = "<script>addEventListener('message', (e) => parent.postMessage(e.data, '*'));</script>"


def embed_frame(server: str) -> str:
    return (
        f'<iframe title="Layerwarp" src="{server}/embed?{RUN}" width="480" height="400"></iframe>'
    )


def host_page(server: str, how: str) -> str:
    """The top page's HTML: the embed directly, or inside a srcdoc frame."""
    if how == "srcdoc":
        inner = escape(RELAY + embed_frame(server), quote=True)
        return f'{LISTEN}<iframe title="slide" srcdoc="{inner}" width="520" height="440"></iframe>'
    return LISTEN + embed_frame(server)


@pytest.fixture(scope="module")
def other_origin() -> Iterator[dict]:
    """An http server on another port answering every GET with `pages["html"]`."""
    pages = {"html": ""}

    with html_host(lambda: pages["html"]) as origin:
        pages["origin"] = origin
        yield pages


def open_host(page, server: str, place: str, other_origin: dict, tmp_path) -> None:
    """Put the embed of `server` in front of the page, framed the way `place` says."""
    how = "srcdoc" if place.endswith("srcdoc") else "direct"
    html = host_page(server, how)
    if place.startswith("file"):
        slides = tmp_path / "slides.html"
        slides.write_text(html, encoding="utf-8")
        page.goto(slides.as_uri())
    elif place.startswith("blank"):
        page.set_content(html)  # the page stays about:blank
    else:
        other_origin["html"] = html
        page.goto(other_origin["origin"])


def posted(page, kind: str) -> list[dict]:
    return page.evaluate("(kind) => window.got.filter((m) => m.type === kind)", kind)


@pytest.mark.parametrize("place", ["file", "file-srcdoc", "blank", "blank-srcdoc", "origin"])
def test_an_embed_posts_ready_wherever_it_is_framed(browser, server, other_origin, tmp_path, place):
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: "frame-ancestors" in m.text and refused.append(m.text))
    open_host(page, server, place, other_origin, tmp_path)
    page.wait_for_function(
        "() => window.got.some((m) => m.source === 'layerwarp' && m.type === 'ready')",
        timeout=20000,
    )
    (ready,) = posted(page, "ready")
    assert ready["config"]["layers"] == 2 and ready["stages"][0] == "input"
    assert refused == []
    context.close()


def test_a_sandboxed_embed_plays_and_its_controls_answer(browser, server, other_origin):
    """Course platforms frame embeds with `sandbox="allow-scripts"`: an opaque origin, for which
    every module, fetch and event stream is a cross-origin request. The frame once stayed blank
    (every module refused for want of Access-Control-Allow-Origin); now it draws, plays, and
    its stage stepper moves the picture, with no console error."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    other_origin["html"] = (
        f'<iframe title="Layerwarp" sandbox="allow-scripts" width="480" height="400" '
        f'src="{server}/embed?{RUN}&stage=input&autoplay=1&lang=zh-CN"></iframe>'
    )
    page.goto(other_origin["origin"])
    frame = page.frame_locator("iframe")
    warp = frame.locator('[data-view="warp"][data-step="20"]:not([data-animating])')
    warp.wait_for(timeout=30000)
    assert page.frames[1].evaluate("() => origin") == "null"  # sandboxed: an opaque origin
    caption = frame.locator("[data-stage-name]")
    before = caption.inner_text()
    frame.get_by_role("button", name="下一阶段").click()
    frame.locator('[data-view="warp"]:not([data-stage="input"])').wait_for(timeout=15000)
    assert caption.inner_text() != before
    assert errors == []
    context.close()


@pytest.fixture(scope="module")
def restricted_server(other_origin) -> Iterator[str]:
    """A server that only the other origin may frame."""
    port = free_port()
    process = start_server(port, {"LAYERWARP_FRAME_ANCESTORS": other_origin["origin"]})
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


@pytest.mark.parametrize("place", ["file", "blank-srcdoc"])
def test_a_configured_frame_ancestors_list_still_restricts(
    browser, restricted_server, other_origin, tmp_path, place
):
    context = browser.new_context()
    page = context.new_page()
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        open_host(page, restricted_server, place, other_origin, tmp_path)
    assert posted(page, "ready") == []
    context.close()


def test_the_listed_origin_still_embeds(browser, restricted_server, other_origin, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    open_host(page, restricted_server, "origin", other_origin, tmp_path)
    page.wait_for_function("() => window.got.some((m) => m.type === 'ready')", timeout=20000)
    context.close()
