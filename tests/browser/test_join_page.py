"""/join as a student meets it: on a phone, a laptop or the projector, in English and 简体中文,
light or dark: the code field and the button are large, nothing runs off the screen, a wrong code
says so above the field, and axe-core finds nothing (issue 24: 0 violations on the new pages)."""

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_axe import audit

SIZES = {"phone": (412, 915), "laptop": (1366, 768), "projector": (1920, 1080)}
PAGES = {  # name -> (path, the message it shows, or None)
    "form": ("/join", None),
    "missing": ("/join/ABCDEF", "ABCDEF"),
    "malformed": ("/join?code=ab", "7KQ4MX"),
}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_join_page_reads_and_works_at_every_size(browser, server, axe, size, lang):
    width, height = SIZES[size]
    scheme = "dark" if size == "laptop" else "light"
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme, locale=lang
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for name, (path, shown) in PAGES.items():
            page.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
            assert page.locator("html").get_attribute("lang") == lang
            message = page.locator("[data-join-message]")
            if shown is None:
                assert message.count() == 0
            else:
                assert shown in message.inner_text(), name
                # the message is above the field it is about, and in view
                assert message.bounding_box()["y"] < page.locator("#join-code").bounding_box()["y"]
            field = page.get_by_label("课堂代码" if lang == "zh-CN" else "Class code")
            button = page.get_by_role("button", name="加入" if lang == "zh-CN" else "Join")
            for control in (field, button):
                box = control.bounding_box()
                assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= width
            typed = page.evaluate(
                "() => parseFloat(getComputedStyle(document.querySelector('#join-code')).fontSize)"
            )
            assert typed >= 28  # a code copied from across the room is read back large
            overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, name
            assert audit(axe, page) == "", f"{name} {lang} {size}"
        # the other language is one link away, on the same page
        other = "English" if lang == "zh-CN" else "简体中文"
        page.get_by_role("link", name=other).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == ("en" if lang == "zh-CN" else "zh-CN")
        assert page.url.split("?")[0].endswith("/join")
        assert errors == []
    finally:
        context.close()


def test_a_code_typed_with_the_keyboard_joins(browser, server):
    room = httpx.post(f"{server}/api/class", json={}).json()
    context = browser.new_context(viewport={"width": 412, "height": 915})
    page = context.new_page()
    try:
        page.goto(f"{server}/join")
        page.keyboard.press("Tab")  # the brand link
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == "join-code"
        page.keyboard.type(room["code"].lower())
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: f"class={room['code']}" in url)
        page.locator("[data-class]").wait_for(state="visible", timeout=30000)
    finally:
        context.close()


def test_the_field_refuses_what_no_code_holds_and_the_console_stays_quiet(browser, server):
    """The field's pattern is a rule the browser keeps (a code has no 0/O, 1/I/L): a pattern
    the browser cannot read is dropped with a console error, and then any text is sent."""
    context = browser.new_context(viewport={"width": 412, "height": 915})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and console.append(m.text))
    try:
        page.goto(f"{server}/join")
        field = page.locator("#join-code")
        for typed, valid in (("OIL010", False), ("7kq 4mx", True), ("7KQ-4MX", True)):
            field.fill(typed)
            assert field.evaluate("(el) => el.validity.valid") is valid, typed
        field.fill("OIL010")
        page.keyboard.press("Enter")  # refused where it was typed: the page stays
        assert page.evaluate("() => document.activeElement.id") == "join-code"
        assert page.url.endswith("/join")
        assert console == []
    finally:
        context.close()
