"""A server that is full says so and the page retries by itself: a new distinct run beyond what
the training processes serve at full rate gets 503 + Retry-After, the page shows "the server is
full, trying again in N s" (in English and 简体中文), and streams once there is room."""

import threading
import time

import httpx
import pytest

from tests.web.servers import HOST, free_port, serve, stop, wait_until_up


@pytest.fixture
def full_server():
    port = free_port()
    base = f"http://{HOST}:{port}"
    # room for one default run at full rate, and a retry a second after a refusal
    process = serve(port, training_cpu=0.001, retry_after_s=1)
    try:
        wait_until_up(base)
        yield base
    finally:
        stop(process)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "the server is full, trying again in 1 s"), ("zh-CN", "服务器已满，1 秒后重试")],
)
def test_a_full_server_is_announced_and_the_page_retries_by_itself(
    browser, full_server, lang, words
):
    leave = threading.Event()

    def hold() -> None:  # another reader takes the only place, until told to leave
        with httpx.stream("GET", f"{full_server}/api/stream?seed=77&rate=0.2", timeout=60) as r:
            for _ in r.iter_lines():
                if leave.is_set():
                    return

    threading.Thread(target=hold, daemon=True).start()
    deadline = time.monotonic() + 30
    while httpx.get(f"{full_server}/healthz").json()["computations"] < 1:
        assert time.monotonic() < deadline, "the holder's stream did not open"
        time.sleep(0.05)
    refused = httpx.get(f"{full_server}/api/stream?seed=79")
    assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{full_server}/?seed=80&lang={lang}")
        page.wait_for_function(
            "(words) => document.querySelector('[data-status]').textContent === words",
            arg=words,
            timeout=30000,
        )
        leave.set()  # the holder leaves: the page's next try finds room
        page.wait_for_selector('[data-status][data-kind="streaming"]', timeout=60000)
    finally:
        leave.set()
        context.close()
