"""A link with a bad value says what is wrong in the page's language: the server's notice is in
the API's English (an English page keeps it); a Chinese reader of a broken link reads Chinese."""

import pytest

CASES = [
    ("/embed", "layers=99&lang=zh-CN", "隐藏层数（layers）必须在 0 到 16 之间；这个链接里是“99”。"),
    ("/", "lr=abc&lang=zh-CN", "学习率 α（lr）必须是数字；这个链接里是“abc”。"),
    ("/", "residual=maybe&lang=zh-CN", "残差（residual）必须是 true 或 false；这个链接里是“maybe”"),
    ("/", "points=100&batch_size=300&lang=zh-CN", "批大小（0 = 全批）（batch_size）必须为 0"),
    ("/embed", "layers=1.5&lang=zh-CN", "隐藏层数（layers）必须是整数；这个链接里是“1.5”。"),
    ("/embed", "layers=3.0&lang=zh-CN", "（layers）必须是只用数字写的整数；这个链接里是“3.0”"),
    ("/", "layers=99&lang=en", "layers must be an integer between 0 and 16 (got '99')"),
    ("/compare", "dataset=nope&lang=zh-CN", "数据集（dataset）必须是"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "query", "said"), CASES)
def test_a_bad_link_is_explained_in_the_pages_language(browser, server, path, query, said):
    context = browser.new_context(viewport={"width": 480, "height": 360})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(f"{server}{path}?{query}")
    assert response.status == 422
    notice = page.locator("[data-query-errors]")
    page.wait_for_function(
        "(said) => document.querySelector('[data-query-errors]').textContent.includes(said)",
        arg=said,
        timeout=15000,
    )
    text = notice.inner_text()
    if "zh-CN" in query:
        assert "must" not in text and "got" not in text  # no English left
    assert notice.is_visible() and errors == []
    if path == "/embed":  # the notice takes its room in the frame, which does not overflow
        assert page.evaluate("() => document.documentElement.scrollHeight <= innerHeight")
        assert page.locator("[data-embed] [data-action='stage-next']").is_visible()
    context.close()
