"""A course page of another origin with eight autoplay embeds. A browser gives one server six
HTTP/1.1 connections, so only the embeds on screen hold a stream: all eight play as the page is
scrolled, and one scrolled away and back continues with the snapshots an unbroken stream sends.
With all eight in sight at once they take turns with the six (static/js/turns.js): each plays,
and each one's snapshots run on without a gap or a repeat across its turns."""

from collections.abc import Iterator

import pytest

from tests.browser.wire import read_stream
from tests.support import html_host

EMBEDS = 8
# the first embed's run ends (to compare it whole); the others train on through the test
FIRST = "layers=2&steps=400&every=5&rate=4&seed=1"
OTHERS = "layers=2&steps=20000&every=5&rate=4&seed={seed}"
# how soon they all play is measured by bench/abuse.py (embeds); here each is waited for
PLAYS_MS = 60000

COURSE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course</title>
<style>body {{ margin: 0; font: 16px sans-serif; }} iframe {{ display: block; width: 480px;
height: 420px; border: 0; margin: 0 0 360px; }}</style></head><body><h1>Week 3: layers</h1>
{frames}
<script>
  window.heard = [];
  const frames = [...document.querySelectorAll('iframe')];
  addEventListener('message', (event) => {{
    const message = event.data;
    if (!message || message.source !== 'layerwarp') return;
    const frame = frames.findIndex((f) => f.contentWindow === event.source);
    window.heard.push({{ frame, ...message }});
  }});
</script></body></html>"""


@pytest.fixture(scope="module")
def course(server) -> Iterator[str]:
    """A page on another port with EMBEDS autoplay embeds of this test's server, stacked."""
    queries = [FIRST] + [OTHERS.format(seed=seed) for seed in range(2, EMBEDS + 1)]
    frames = "\n".join(
        f'<iframe title="Layerwarp {i}" src="{server}/embed?{q}&autoplay=1"></iframe>'
        for i, q in enumerate(queries)
    )
    body = COURSE.format(frames=frames)

    with html_host(lambda: body) as origin:
        yield f"{origin}/"


@pytest.fixture(scope="module")
def in_sight(server) -> Iterator[str]:
    """The same eight embeds side by side, all on one screen, none of their runs ending."""
    frames = "\n".join(
        f'<iframe title="Layerwarp {seed}" src="{server}/embed?'
        f'{OTHERS.format(seed=seed)}&autoplay=1&stage=input"></iframe>'
        for seed in range(1, EMBEDS + 1)
    )
    body = COURSE.format(frames=frames).replace(
        "width: 480px;\nheight: 420px; border: 0; margin: 0 0 360px;",
        "width: 320px;\nheight: 260px; border: 0; margin: 0; float: left;",
    )
    assert "float: left" in body
    with html_host(lambda: body) as origin:
        yield f"{origin}/"


def steps_heard(page, frame: int) -> list[int]:
    return page.evaluate(
        "(i) => window.heard.filter((m) => m.frame === i && m.type === 'snapshot')"
        ".map((m) => m.step)",
        frame,
    )


def test_eight_embeds_on_one_course_page_all_play(browser, server, course):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    open_streams: set = set()
    resumed: list[str] = []

    def opened(request) -> None:
        if "/api/stream?" in request.url:
            open_streams.add(request)
            if "after=" in request.url:
                resumed.append(request.url)

    page.on("request", opened)
    page.on("requestfinished", lambda request: open_streams.discard(request))
    page.on("requestfailed", lambda request: open_streams.discard(request))  # closed by the embed
    try:
        page.goto(course)
        played = []
        for frame in range(EMBEDS):
            page.locator("iframe").nth(frame).scroll_into_view_if_needed()
            page.wait_for_function(
                "(i) => window.heard.some((m) => m.frame === i"
                " && m.type === 'snapshot' && m.step > 0)",
                arg=frame,
                timeout=PLAYS_MS,
            )
            played.append(frame)
            # at most the embeds on screen hold a stream: the rest of the six stay free
            for _ in range(50):
                if len(open_streams) <= 2:
                    break
                page.wait_for_timeout(100)  # a stream let go is reported a moment later
            assert len(open_streams) <= 2, [r.url for r in open_streams]
        assert played == list(range(EMBEDS))

        # back to the first: it resumes after its last snapshot and runs to its end
        seen_before = steps_heard(page, 0)
        page.locator("iframe").nth(0).scroll_into_view_if_needed()
        page.wait_for_function(
            "() => window.heard.some((m) => m.frame === 0 && m.type === 'done')", timeout=120000
        )
        assert any("steps=400&" in url for url in resumed), resumed
        steps = steps_heard(page, 0)
        assert steps[: len(seen_before)] == seen_before
        assert steps == list(range(0, 401, 5)), "a snapshot was lost or repeated"
        _, unbroken = read_stream(server, FIRST.replace("rate=4", "rate=20"))
        snapshots = page.evaluate(
            "() => window.heard.filter((m) => m.frame === 0 && m.type === 'snapshot')"
        )
        for message in snapshots:
            metrics = unbroken[message["step"]]["metrics"]
            accuracy = {"train": metrics["acc_train"], "test": metrics["acc_test"]}
            loss = {"train": metrics["loss_train"], "test": metrics["loss_test"]}
            assert (message["accuracy"], message["loss"]) == (accuracy, loss), message["step"]
    finally:
        context.close()


def test_eight_embeds_in_sight_take_turns_with_six_connections(browser, in_sight):
    context = browser.new_context(viewport={"width": 1300, "height": 620}, reduced_motion="reduce")
    page = context.new_page()
    resumed: list[str] = []
    page.on(
        "request", lambda r: "/api/stream?" in r.url and "after=" in r.url and resumed.append(r.url)
    )
    try:
        page.goto(in_sight)
        assert page.evaluate(
            "() => [...document.querySelectorAll('iframe')].every((f) => {"
            " const r = f.getBoundingClientRect(); return r.bottom <= innerHeight; })"
        ), "every embed is in sight"
        for frame in range(EMBEDS):  # six at a time over HTTP/1.1: the last two wait a turn
            page.wait_for_function(
                "(i) => window.heard.some((m) => m.frame === i"
                " && m.type === 'snapshot' && m.step > 0)",
                arg=frame,
                timeout=PLAYS_MS,
            )
        assert resumed, "no embed let its connection go for another"
        for frame in range(EMBEDS):  # across turns, each stream resumed where it was
            steps = steps_heard(page, frame)
            assert steps == list(range(0, steps[-1] + 1, 5)), (frame, steps)
    finally:
        context.close()
