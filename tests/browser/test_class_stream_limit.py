"""A class outlasts its streams' time limit: the server closes each class event stream near
LAYERWARP_STREAM_SECONDS without a word, the pages' EventSource reconnects by itself and gets the
whole picture again, so the teacher still counts the student and still leads its screen."""

from tests.browser.conftest import Watched
from tests.browser.harness import free_port, start_server, stop_server
from tests.browser.test_class_follow import (
    FILMSTRIP,
    LAPTOP,
    QUICK,
    drawn,
    join,
    start_class,
    wait_counts,
    wait_same,
)

STREAM_SECONDS = 4


def test_class_pages_reconnect_when_their_streams_reach_the_time_limit(browser, tmp_path):
    port = free_port()
    settings = {
        "LAYERWARP_STREAM_SECONDS": str(STREAM_SECONDS),
        "LAYERWARP_DATA_DIR": str(tmp_path),
    }
    process = start_server(port, settings)
    base = f"http://127.0.0.1:{port}"
    contexts = [browser.new_context(viewport=LAPTOP) for _ in range(2)]
    try:
        teacher = Watched(contexts[0].new_page(), base)
        student = Watched(contexts[1].new_page(), base)
        opened: list[str] = []  # the student's class streams, as the browser asks for them
        student.page.on("request", lambda r: opened.append(r.url) if "/events" in r.url else None)
        teacher.page.goto(f"{base}/?{QUICK}&stage=input")
        drawn(teacher.page)
        code = start_class(teacher.page)
        join(student.page, base, code)
        wait_counts(teacher.page, 1, 1)
        # two time limits pass: the student's page has opened its stream again, by itself
        deadline_ms, waited = (3 * STREAM_SECONDS + 30) * 1000, 0
        while len(opened) < 3:
            assert waited < deadline_ms, f"the student's page opened {len(opened)} streams"
            student.page.wait_for_timeout(200)
            waited += 200
        wait_counts(teacher.page, 1, 1)  # still there, still following
        teacher.page.click("[data-filmstrip-toggle]")  # and the teacher still leads it
        wait_same([student], FILMSTRIP, [True, True])
        assert student.page.locator("[data-class-following]").is_visible()
        for watched in (teacher, student):
            # an /api/stream that reached the limit ends with `done`; nothing else may be logged
            assert watched.errors == [], watched.errors
    finally:
        for context in contexts:
            context.close()
        stop_server(process)
