"""A student on a phone (412×915, touch) opens a shared lesson link (issue 22, item 5): the
step's text stays in sight instead of the page jumping to the chart under the whole form."""

import pytest

PHONE = {"viewport": {"width": 412, "height": 915}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


def test_a_lesson_link_on_a_phone_keeps_the_lesson_text_in_sight(phone, server):
    phone.goto(f"{server}/?lesson=compose&every=100&rate=20")
    phone.locator("[data-lesson]").wait_for(state="visible", timeout=60000)
    phone.wait_for_function(
        "() => document.querySelector('[data-view=separability] .main-svg')", timeout=60000
    )
    phone.wait_for_timeout(1500)  # the lesson's reveal runs 400 ms after the first drawing
    box = phone.locator("[data-lesson-title]").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 915, (
        f"the lesson's title is out of sight (page scrolled to {phone.evaluate('scrollY')})"
    )
    assert phone.is_visible("[data-lesson-text]")
