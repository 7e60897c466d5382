"""A run that collapsed is named a failure in words, with the one-click fix (issue 22, item 3):
`/?preset=spiral2&lr=5` ends with every point on one spot at 50 % accuracy, and the status read
"finished: all steps done"."""

from urllib.parse import parse_qs, urlsplit

COLLAPSED = "preset=spiral2&lr=5&steps=300&every=50&rate=20&stage=last"
HEALTHY = "preset=spiral2&steps=300&every=50&rate=20&stage=last"


def finished(page) -> str:
    """The status line's words once the run has ended."""
    page.wait_for_function(
        "() => (document.querySelector('[data-status]').dataset.kind || '').startsWith('done')",
        timeout=120000,
    )
    return page.text_content("[data-status]")


def test_a_collapsed_run_says_so_and_offers_a_lower_learning_rate(watched):
    page = watched.page
    watched.open(COLLAPSED)
    status = finished(page)
    assert "finished" not in status and "collapsed" in status
    notice = page.locator("[data-notice]")
    assert notice.is_visible()
    assert "every point ends on one spot" in notice.text_content()
    button = page.locator('[data-action="lower-lr"]')
    assert button.is_visible() and button.text_content() == "Reset with α = 0.5"
    button.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.5'")
    assert parse_qs(urlsplit(page.url).query)["lr"] == ["0.5"]
    assert watched.errors == []


def test_the_same_in_chinese(watched):
    page = watched.page
    watched.open(COLLAPSED + "&lang=zh-CN")
    assert "坍缩" in finished(page)
    assert "所有点最终落在同一个位置" in page.text_content("[data-notice-text]")
    assert page.text_content('[data-action="lower-lr"]') == "以 α = 0.5 重新开始"


def test_a_run_that_learns_still_says_finished(watched):
    page = watched.page
    watched.open(HEALTHY)
    assert finished(page) == "finished: all steps done"
    assert page.locator("[data-notice]").is_hidden()
