"""A dropped connection resumes by itself (EventSource + Last-Event-ID) and the page says so."""

from tests.browser.harness import free_port, start_server, stop_server


def test_a_dropped_connection_resumes_where_it_left_off(browser):
    port = free_port()
    process = start_server(port)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"http://127.0.0.1:{port}/?every=25&rate=4&steps=3000&stage=input")
        page.wait_for_function(
            "() => Number(document.querySelector('[data-view=\"warp\"]').dataset.step) >= 50"
        )
        stop_server(process)  # the connection drops; a new process will answer the reconnect
        page.wait_for_function(
            "() => document.querySelector('[data-status]').dataset.kind === 'reconnecting'"
        )
        process = start_server(port)
        page.wait_for_function(
            "() => document.querySelector('[data-status]').dataset.kind === 'resumed'",
            timeout=20000,
        )
        assert "resumed" in page.text_content("[data-status]")
        seen = int(page.get_attribute('[data-view="warp"]', "data-step"))
        page.wait_for_function(
            "(n) => Number(document.querySelector('[data-view=\"warp\"]').dataset.step) > n",
            arg=seen,
        )
        steps = page.evaluate("() => document.querySelector('[data-view=\"curves\"]').data[0].x")
        assert steps == list(range(0, steps[-1] + 1, 25)), "a snapshot was lost or repeated"
    finally:
        page.close()
        stop_server(process)
