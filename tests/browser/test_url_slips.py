"""A misspelled lesson link (issue 22, item 7): the notice asks "did you mean compose?" with a
one-click way there instead of listing every step, and the warp plays as on a plain link."""


def test_a_misspelled_lesson_asks_did_you_mean_and_the_warp_plays(watched):
    page = watched.page
    watched.open("lesson=compse&steps=20000&every=5&rate=2")
    notice = page.locator("[data-url-notice-text]")
    notice.wait_for(timeout=60000)
    page.wait_for_selector("[data-url-notice-near]", timeout=60000)
    text = notice.text_content()
    assert "compse" in text and "Did you mean" in text
    assert "three-moves" not in text, "a near name is offered alone, not among every step's id"
    assert page.text_content("[data-url-notice-near]") == "compose"
    # no lesson opened, so the layers play by themselves: the view leaves the input
    page.wait_for_function(
        "() => Number(document.querySelector('[data-stage-slider]').value) > 0", timeout=120000
    )
    assert page.get_attribute('[data-view="warp"]', "data-hands-free") == "on"
    page.click("[data-url-notice-near]")
    page.wait_for_function(
        "() => document.querySelector('[data-lesson]').dataset.lessonId === 'compose'"
    )
    assert page.is_visible("[data-lesson-title]") and page.is_hidden("[data-url-notice]")
    assert "lesson=compose" in page.url
    assert watched.errors == []


def test_a_name_far_from_every_step_still_lists_them(watched):
    page = watched.page
    watched.open("lesson=nonsense-words&stage=input")
    page.wait_for_selector("[data-unknown='lesson']", timeout=60000)
    assert "three-moves" in page.text_content("[data-unknown='lesson']")
    assert page.locator("[data-url-notice-near]").count() == 0


def test_did_you_mean_in_chinese(watched):
    page = watched.page
    watched.open("lesson=compse&stage=input&lang=zh-CN")
    page.wait_for_selector("[data-url-notice-near]", timeout=60000)
    asked = "没有名为“compse”的课程步骤。你是想打开 compose？"
    assert page.text_content("[data-unknown='lesson']") == asked


def test_the_caption_at_a_later_w_says_what_w_does_to_the_bent_lines(watched):
    """Issue 22, item 9: at 2.W the grid is already curved; the caption must not promise
    straight parallel lines over it."""
    page = watched.page
    watched.open("layers=3&steps=20&every=20&rate=20&stage=2.W")
    watched.wait_drawn(stage="2.W", timeout=60000)
    hint = page.text_content("[data-stage-hint]")
    assert "lines stay straight and parallel" not in hint
    assert "curves from earlier layers keep their shape" in hint
    watched.open("layers=3&steps=20&every=20&rate=20&stage=1.W")
    watched.wait_drawn(stage="1.W", timeout=60000)
    assert "lines stay straight and parallel" in page.text_content("[data-stage-hint]")
