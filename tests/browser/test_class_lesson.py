"""A lesson taught to a class on a projector (1280×720): the challenge board stays on the screen
whatever card the lesson points at, and a student who submits reads the confirmation as good
news (a status), not in the warning colour of a refusal, in their own language; a lesson step
that shows other points than the challenge's does not stop a following student submitting."""

import pytest

from tests.browser.conftest import Watched
from tests.browser.harness import free_port, start_server, stop_server
from tests.browser.test_class_follow import FOLLOW_TIMEOUT_MS, QUICK, drawn, start_class

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 412, "height": 915}


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """A server with a data directory of its own (its classes are this module's)."""
    port = free_port()
    process = start_server(port, {"LAYERWARP_DATA_DIR": str(tmp_path_factory.mktemp("lesson"))})
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


def board_on_screen(page) -> None:
    """The board card is shown, whole inside the projector's screen, beside the lesson's card."""
    board = page.locator('[data-card="board"]')
    board.wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)
    box = board.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"]
    assert box["height"] >= 100  # room for its caption and the first rows
    assert board.locator("caption").is_visible()  # "No run submitted yet." or how many


def test_the_board_is_on_the_projector_while_a_lesson_is_open(browser, class_server):
    teacher_context = browser.new_context(viewport=PROJECTOR)
    student_context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        teacher = Watched(teacher_context.new_page(), class_server)
        student = Watched(student_context.new_page(), class_server)
        page = teacher.page
        page.goto(f"{class_server}/?{QUICK}&lesson=three-moves")
        drawn(page)
        code = start_class(page)
        page.keyboard.press("s")  # presenting, the lesson's warp view alone on screen
        page.wait_for_function("() => document.documentElement.dataset.present === 'true'")
        page.click('[data-class-action="challenge"]')
        dialog = page.locator("[data-class-challenge-dialog]")
        dialog.locator('select[name="dataset"]').select_option("xor")
        dialog.locator('button[value="set"]').click()
        dialog.wait_for(state="hidden")
        board_on_screen(page)
        assert page.locator('[data-view="warp"]').is_visible()  # the lesson's view beside it
        # the strip over the lesson is one row on a 720-line screen: the warp picture keeps its room
        code_box = page.locator("[data-class-code]").bounding_box()
        end_box = page.locator('[data-class-action="end"]').bounding_box()
        assert end_box["y"] < code_box["y"] + code_box["height"]
        assert page.locator('[data-view="warp"]').bounding_box()["height"] >= 170
        student.page.goto(f"{class_server}/join/{code}?lang=zh-CN")
        following = student.page.locator("[data-class-following]")
        following.wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)
        submit = student.page.locator('[data-class-action="submit"]')
        submit.wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)
        submit.click()
        form = student.page.locator("[data-class-submit-dialog]")
        form.locator("[data-class-nickname]").fill("小明")
        form.locator('button[value="send"]').click()
        said = student.page.get_by_role("status").filter(has_text="已提交")
        said.wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)
        assert student.page.locator("[data-class-error]").inner_text() == ""
        colour = "(el) => getComputedStyle(el).color"
        warning = student.page.locator("[data-class-error]").evaluate(colour)
        assert said.evaluate(colour) != warning
        page.keyboard.press("n")  # the next step points at the separability chart
        page.wait_for_function("() => document.documentElement.dataset.focus === 'inspector'")
        board_on_screen(page)
        page.locator('[data-class-board] tbody th[scope="row"]', has_text="小明").wait_for()
        assert page.locator("[data-class-board] caption").inner_text() == "Runs submitted: 1"
        # the step shows two spirals now, the challenge is on XOR: a following student's run is
        # sent on the challenge's points (as the dialog says), not refused for its own points
        student.page.wait_for_function(
            "() => document.querySelector('[data-field=\"dataset\"]').value === 'spiral2'",
            timeout=FOLLOW_TIMEOUT_MS,
        )
        submit.click()
        assert form.locator("[data-class-submit-what]").inner_text().startswith("异或")
        form.locator("[data-class-nickname]").fill("小红")
        form.locator('button[value="send"]').click()
        form.wait_for(state="hidden", timeout=FOLLOW_TIMEOUT_MS)
        assert form.locator("[data-class-submit-error]").inner_text() == ""
        page.locator('[data-class-board] tbody th[scope="row"]', has_text="小红").wait_for()
        assert page.locator('[data-view="separability"]').is_visible()

        page.click('[data-class-action="end"]')  # the board is over: "submitted" goes with it
        student.page.get_by_text("已结束").first.wait_for(timeout=FOLLOW_TIMEOUT_MS)
        assert student.page.locator("[data-class-note]").inner_text() == ""
        said = page.locator("[data-class-following]")  # the teacher is told what they did
        assert said.inner_text().startswith(f"You ended the class {code}.")
        close = page.locator('[data-class-action="leave"]')  # theirs to put away, not to leave
        assert close.is_visible() and close.inner_text() == "Close"
        assert student.page.locator('[data-class-action="leave"]').inner_text() == "离开课堂"
        assert teacher.errors == [] and student.errors == []
    finally:
        teacher_context.close()
        student_context.close()


FOCUSED = "(selector) => document.activeElement?.matches(selector)"


def test_a_teacher_leads_the_class_from_the_keyboard(browser, class_server):
    """Tab and Enter only: each of Start, Let them explore, Bring everyone back and End hides
    the button pressed; the focus goes to the strip's next button, not to the top of the page."""
    context = browser.new_context(viewport=PROJECTOR)
    try:
        teacher = Watched(context.new_page(), class_server)
        page = teacher.page
        page.goto(f"{class_server}/?{QUICK}")
        drawn(page)
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUSED, "[data-class-start]"):
                break
        assert page.evaluate(FOCUSED, "[data-class-start]")
        for key, then in (
            ("Enter", "explore"),
            ("Enter", "bring-back"),
            ("Enter", "explore"),
            ("Tab", "challenge"),
            ("Tab", "end"),
            ("Enter", "leave"),
        ):
            page.keyboard.press(key)
            page.wait_for_function(
                FOCUSED, arg=f'[data-class-action="{then}"]', timeout=FOLLOW_TIMEOUT_MS
            )
            assert page.locator(f'[data-class-action="{then}"]').is_visible()
        assert teacher.errors == []
    finally:
        context.close()
