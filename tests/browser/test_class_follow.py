"""A class in four browsers: a teacher and three students, each in a context of its own (their own
cookies, as on thirty laptops). The students' screens follow the teacher's moves, are locked while
they follow, go free and come back; a student's page cannot lead; the board shows what students
submit, a nickname as text. Timings are printed, not asserted (bench/ measures them)."""

import json
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import Watched
from tests.browser.harness import ARTIFACTS, free_port, start_server, stop_server
from tests.browser.test_trace import _ON_SCREEN, _loneliest

# a run that trains for minutes: long enough to pause it while it trains
QUICK = "dataset=spiral2&points=200&layers=2&width=2&steps=20000&every=10&rate=10&lang=en"
LAPTOP = {"width": 1366, "height": 768}
FOLLOW_TIMEOUT_MS = 30000  # a loaded machine; the time it took is printed
BOARD_TIMEOUT_MS = 90000  # the server trains three entries beside everything else
SHOWN = """() => {
  const warp = document.querySelector('[data-view="warp"]');
  const fields = Object.fromEntries([...document.querySelectorAll('[data-field]')]
    .map((el) => [el.dataset.field, el.type === 'checkbox' ? String(el.checked) : el.value]));
  return { stage: document.querySelector('[data-stage-id]').textContent,
    caption: document.querySelector('[data-stage-name]').textContent,
    drawn: warp.dataset.stage ?? null, fields };
}"""


def shown(page) -> dict:
    """What a page's screen says: the stage caption, the stage drawn, every control's value."""
    return page.evaluate(SHOWN)


def wait_following(page, teacher: dict) -> None:
    """Wait until `page` shows what the teacher's screen showed (`teacher`, from shown())."""
    page.wait_for_function(
        f"""(want) => {{ const now = ({SHOWN})();
          return now.stage === want.stage && now.caption === want.caption
            && now.drawn === want.drawn
            && Object.entries(want.fields).every(([k, v]) => now.fields[k] === v); }}""",
        arg=teacher,
        timeout=FOLLOW_TIMEOUT_MS,
    )


def wait_counts(page, joined: int, following: int) -> None:
    """Wait until the teacher's page counts `joined` students, `following` of them following."""
    page.wait_for_function(
        "(text) => document.querySelector('[data-class-counts]').textContent === text",
        arg=f"{joined} joined · {following} following",
        timeout=FOLLOW_TIMEOUT_MS,
    )


def drawn(page) -> None:
    """Wait until the warp view shows the stage its caption names, not mid-tween."""
    page.wait_for_function(
        """() => { const el = document.querySelector('[data-view="warp"]');
          return el.dataset.step !== undefined && !el.dataset.animating
            && el.dataset.stage
              === (document.querySelector('[data-stage-id]').textContent || 'input'); }""",
        timeout=60000,
    )


def start_class(page) -> str:
    """Press "Start a class" on a drawn page: the join code it then shows."""
    page.click("[data-class-start]")
    code_el = page.locator("[data-class-code]")
    code_el.wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)
    return code_el.inner_text().strip()


def join(page, base: str, code: str) -> None:
    """Join class `code` as a student does (/join/<code>), until the page says it follows."""
    page.goto(f"{base}/join/{code}?lang=en")
    page.locator("[data-class-following]").wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """A server of its own, with a data directory of its own and room for this module's classes
    and joins (every test starts a class; the per-address limits are tested in tests/web)."""
    port = free_port()
    process = start_server(port, {
        "LAYERWARP_DATA_DIR": str(tmp_path_factory.mktemp("classes")),
        "LAYERWARP_CLASS_CREATES_PER_HOUR": "1000",
        "LAYERWARP_CLASS_JOINS_PER_MINUTE": "1000",
    })  # fmt: skip
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


@pytest.fixture
def room(browser, class_server):
    """A teacher who started a class on a quick run, and three students who joined it by its
    code: {teacher, students, code, contexts}; every page's errors are watched."""
    contexts = [browser.new_context(viewport=LAPTOP) for _ in range(4)]
    server = class_server
    watched = [Watched(context.new_page(), server) for context in contexts]
    teacher, students = watched[0], watched[1:]
    try:
        teacher.page.goto(f"{server}/?{QUICK}&stage=input")
        drawn(teacher.page)
        code = start_class(teacher.page)
        assert len(code) == 6 and "key" not in teacher.page.url
        for student in students:
            join(student.page, server, code.lower())
        wait_counts(teacher.page, 3, 3)
        yield {"teacher": teacher, "students": students, "code": code, "contexts": contexts}
        for page in watched:
            assert page.errors == [], page.errors
    finally:
        for context in contexts:
            context.close()


def test_students_follow_the_teacher_and_are_locked(room):
    teacher, students, code = room["teacher"].page, room["students"], room["code"]
    for student in students:
        assert (
            student.page.url.endswith(f"?class={code}&lang=en")
            or f"class={code}" in student.page.url
        )
        text = student.page.locator("[data-class-following]").inner_text()
        assert f"Following the class {code}" in text
        assert student.page.locator('[data-field="layers"]').is_disabled()
        assert student.page.locator('[data-action="stage-next"]').is_disabled()
        assert student.page.locator(
            "[data-class-teacher]"
        ).is_hidden()  # no code, no teacher's buttons
        assert student.page.locator('[data-class-action="explore"]').is_hidden()
    # paused and playing again (while the run still trains: before the config changes)
    for button, kind in (("pause", "=== 'paused'"), ("play", "!== 'paused'")):
        teacher.click(f'[data-action="{button}"]')
        for student in students:
            student.page.wait_for_function(
                f"() => document.querySelector('[data-status]').dataset.kind {kind}",
                timeout=FOLLOW_TIMEOUT_MS,
            )
    timings = {}
    # a config change, then a stage move and a jump: each on every student's screen
    moves = {
        "config": lambda: teacher.select_option('[data-field="width"]', "3"),
        "stage": lambda: teacher.click('[data-action="stage-next"]'),
        "jump": lambda: teacher.evaluate(
            """() => { const s = document.querySelector('[data-stage-slider]');
              s.value = String(Number(s.max) - 1); s.dispatchEvent(new Event('input')); }"""
        ),
    }
    for name, move in moves.items():
        started = time.monotonic()
        move()
        drawn(teacher)
        want = shown(teacher)
        for student in students:
            wait_following(student.page, want)
        timings[name] = round(time.monotonic() - started, 3)
    # a student's keys do not move a locked screen
    before = shown(students[0].page)["stage"]
    students[0].page.locator("body").press("ArrowLeft")
    students[0].page.wait_for_timeout(500)
    assert shown(students[0].page)["stage"] == before
    print(json.dumps({"follow_s": timings}))


def wait_same(students, script: str, want) -> None:
    """Wait until `script` reads `want` on every student's screen."""
    for student in students:
        student.page.wait_for_function(
            f"(want) => JSON.stringify(({script})()) === JSON.stringify(want)",
            arg=want,
            timeout=FOLLOW_TIMEOUT_MS,
        )


FILMSTRIP = """() => [!document.querySelector('[data-view="filmstrip"]').hidden,
  document.querySelector('[data-filmstrip-toggle]').checked]"""
TRACED = "() => document.querySelector('.trace-title')?.textContent ?? null"
LESSON = """() => document.querySelector('[data-lesson]').hidden ? null
  : [document.querySelector('[data-lesson-title]').textContent,
     document.querySelector('[data-lesson-progress]').textContent]"""


def test_students_follow_a_view_a_traced_point_and_a_lesson_step(room):
    """The other parts of the teacher's screen a class follows: the filmstrip shown and hidden,
    the point the teacher clicks traced (its table), a lesson opened and stepped on (its text,
    its run and its stage), and closed."""
    teacher, students = room["teacher"].page, room["students"]
    for on in (True, False):
        teacher.click("[data-filmstrip-toggle]")
        wait_same(students, FILMSTRIP, [on, on])
    teacher.click('[data-action="pause"]')  # a point is clicked on a still picture
    drawn(teacher)
    target = _loneliest(teacher.evaluate(_ON_SCREEN, "warp"))
    teacher.mouse.move(target["px"], target["py"])
    teacher.mouse.click(target["px"], target["py"])
    teacher.wait_for_function(f"() => location.search.includes('trace={target['index']}')")
    title = teacher.evaluate(TRACED)
    assert title.startswith(f"Point {target['index']} (class ")
    wait_same(students, TRACED, title)
    for button in ("[data-lesson-open]", '[data-lesson-action="lesson-next"]'):
        teacher.click(button)
        drawn(teacher)
        lesson = teacher.evaluate(LESSON)
        assert lesson is not None
        wait_same(students, LESSON, lesson)
        want = shown(teacher)
        for student in students:
            wait_following(student.page, want)
    teacher.click('[data-lesson-action="close"]')
    wait_same(students, LESSON, None)


STEP_SHOWN = """() => [document.querySelector('[data-view="warp"]').dataset.step ?? null,
  document.querySelector('[data-status]').dataset.kind === 'paused']"""


def test_a_paused_class_pauses_every_screen_at_the_teachers_step_and_follows_the_timeline(room):
    """Paused, every student shows the teacher's training step (not each its own newest); the
    teacher's timeline scrubbed back, every screen shows that step; played again, they go on."""
    teacher, students = room["teacher"].page, room["students"]
    teacher.wait_for_function(
        "() => Number(document.querySelector('[data-view=\"warp\"]').dataset.step) >= 100",
        timeout=FOLLOW_TIMEOUT_MS,
    )
    teacher.click('[data-action="pause"]')
    drawn(teacher)
    paused = teacher.evaluate(STEP_SHOWN)
    assert paused[1] is True
    wait_same(students, STEP_SHOWN, paused)
    # the timeline scrubbed back to an earlier snapshot: its step on every screen
    teacher.evaluate(
        """() => { const t = document.querySelector('[data-timeline]');
          t.value = String(Math.floor(Number(t.max) / 2)); t.dispatchEvent(new Event('input')); }"""
    )
    teacher.wait_for_function(
        "(step) => document.querySelector('[data-view=\"warp\"]').dataset.step !== step",
        arg=paused[0],
    )
    drawn(teacher)
    scrubbed = teacher.evaluate(STEP_SHOWN)
    assert int(scrubbed[0]) < int(paused[0])
    wait_same(students, STEP_SHOWN, scrubbed)
    # played again and the timeline back at its end: every screen goes on with the newest
    teacher.click('[data-action="play"]')
    teacher.evaluate(
        """() => { const t = document.querySelector('[data-timeline]');
          t.value = t.max; t.dispatchEvent(new Event('input')); }"""
    )
    for student in students:
        student.page.wait_for_function(
            "(step) => Number(document.querySelector('[data-view=\"warp\"]').dataset.step) > step",
            arg=int(paused[0]),
            timeout=FOLLOW_TIMEOUT_MS,
        )


def test_a_lesson_step_is_one_move_with_its_own_run(room):
    """Opening a lesson step sets its id and then its run in one go: the teacher's page posts
    them together, so no student opens the new step on the old run first (a wasted restart on
    every screen, and a mix no screen is meant to show)."""
    teacher = room["teacher"].page
    posted: list[dict] = []
    teacher.on(
        "request",
        lambda r: (
            r.method == "POST" and r.url.endswith("/state") and posted.append(r.post_data_json)
        ),
    )
    for button in ("[data-lesson-open]", '[data-lesson-action="lesson-next"]'):
        before = teacher.evaluate("() => document.querySelector('[data-field=\"dataset\"]').value")
        teacher.click(button)
        drawn(teacher)
        teacher.wait_for_timeout(500)  # the burst's last post
        lesson = teacher.evaluate("() => new URLSearchParams(location.search).get('lesson')")
        moves = [move for move in posted if move.get("lesson") == lesson]
        assert moves, f"no move for lesson {lesson}"
        first = moves[0]["config"]
        shown = teacher.evaluate("() => document.querySelector('[data-field=\"dataset\"]').value")
        assert first["dataset"] == shown, (before, first["dataset"], shown)
        posted.clear()


NEWEST = "() => Number(document.querySelector('[data-view=\"warp\"]').dataset.step ?? -1)"


def test_a_student_who_joins_mid_run_is_where_the_teacher_is(room, browser, class_server):
    """A student who joins while the class plays starts at the teacher's newest snapshot, not at
    step 0 at the teacher's pace (which would keep them as far behind as they came late)."""
    teacher, code = room["teacher"].page, room["code"]
    teacher.wait_for_function(f"() => ({NEWEST})() >= 1500", timeout=FOLLOW_TIMEOUT_MS * 2)
    context = browser.new_context(viewport=LAPTOP)
    late = Watched(context.new_page(), class_server)
    try:
        join(late.page, class_server, code)
        joined, began = teacher.evaluate(NEWEST), time.monotonic()
        # at 100 steps a second (every=10, rate=10) step 0 on would need 15 s or more to get here
        late.page.wait_for_function(f"(at) => ({NEWEST})() >= at", arg=joined, timeout=10000)
        took = time.monotonic() - began
        print(f"a late joiner reached the teacher's step {joined} {took:.2f} s on")
        assert late.errors == []
    finally:
        context.close()


def test_explore_frees_the_students_and_bring_back_returns_them(room):
    teacher, students = room["teacher"].page, room["students"]
    teacher.click('[data-class-action="explore"]')
    for student in students:
        student.page.wait_for_function(
            "() => !document.querySelector('[data-field=\"layers\"]').disabled",
            timeout=FOLLOW_TIMEOUT_MS,
        )
    own = students[0].page
    own.fill('[data-field="layers"]', "3")
    own.press('[data-field="layers"]', "Tab")  # a change: the run restarts
    wait_counts(teacher, 3, 2)
    drawn(own)
    assert own.locator('[data-field="layers"]').input_value() == "3"
    assert "exploring on your own" in own.locator("[data-class-following]").inner_text()
    teacher.click('[data-class-action="bring-back"]')
    want = shown(teacher)
    assert want["fields"]["layers"] == "2"
    for student in students:
        wait_following(student.page, want)
        assert student.page.locator('[data-field="layers"]').is_disabled()
    wait_counts(teacher, 3, 3)


def test_a_students_page_cannot_lead(room):
    """The key is the teacher's browser's cookie, never in a URL: a student who opens the
    projector's URL follows, and a move posted from a student's page is refused."""
    teacher, student, code = room["teacher"].page, room["students"][0].page, room["code"]
    student.goto(teacher.url)  # the projector's URL, read off the screen
    student.locator("[data-class-following]").wait_for(state="visible", timeout=FOLLOW_TIMEOUT_MS)
    assert student.locator('[data-class-action="explore"]').is_hidden()
    answer = student.evaluate(
        """async (code) => {
          const info = await (await fetch(`/api/class/${code}`)).json();
          const post = await fetch(`/api/class/${code}/state`, { method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ stage: 'input', mode: 'explore' }) });
          return { teacher: info.teacher, status: post.status };
        }""",
        code,
    )
    assert answer == {"teacher": False, "status": 403}
    room["students"][0].errors.clear()  # the browser logs the refused post: expected here
    # the class still follows the teacher: locked, not exploring
    for other in room["students"][1:]:
        assert other.page.locator('[data-field="layers"]').is_disabled()


def test_the_board_shows_submissions_with_nicknames_as_text(room):
    teacher, students = room["teacher"].page, room["students"]
    teacher.fill('[data-field="steps"]', "300")  # the server trains each entry: a short run
    teacher.press('[data-field="steps"]', "Tab")
    teacher.click('[data-class-action="challenge"]')
    dialog = teacher.locator("[data-class-challenge-dialog]")
    dialog.locator('select[name="dataset"]').select_option("xor")
    dialog.locator('select[name="goal"]').select_option("parameters")
    dialog.locator('input[name="target"]').fill("0.9")
    dialog.locator('button[value="set"]').click()
    dialog.wait_for(state="hidden")
    for student in students:
        student.page.locator('[data-class-action="submit"]').wait_for(
            state="visible", timeout=FOLLOW_TIMEOUT_MS
        )
    for student, nickname in zip(students, ["<b>x</b>", "Ada", ""], strict=True):
        student.page.click('[data-class-action="submit"]')
        form = student.page.locator("[data-class-submit-dialog]")
        form.locator("[data-class-nickname]").fill(nickname)
        form.locator('button[value="send"]').click()
        form.wait_for(state="hidden", timeout=10000)
    for page in [teacher] + [s.page for s in students]:
        page.wait_for_function(
            "() => document.querySelectorAll('[data-class-board] tbody tr').length === 3",
            timeout=BOARD_TIMEOUT_MS,
        )
        names = page.locator('[data-class-board] tbody th[scope="row"]').all_inner_texts()
        assert sorted(names) == sorted(["<b>x</b>", "Ada", "anonymous"])
        assert page.locator("[data-class-board] tbody b").count() == 0  # text, never HTML
    # each entry opens its run
    href = teacher.locator("[data-class-board] tbody a").first.get_attribute("href")
    assert href.startswith("/?") and "dataset=xor" in href


SIZES = {  # name -> (viewport, query for the teacher)
    "phone": ({"width": 412, "height": 915}, ""),
    "laptop": (LAPTOP, ""),
    "projector": ({"width": 1920, "height": 1080}, "&present=1"),
}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_class_at_each_size(room, size):
    """The join code whole on screen, nothing wider than the screen; screenshots to look at."""
    viewport, extra = SIZES[size]
    teacher, student = room["teacher"].page, room["students"][0].page
    for page in (teacher, student):
        page.set_viewport_size(viewport)
    if extra:
        teacher.goto(teacher.url + extra)
        drawn(teacher)
    teacher.locator("[data-class-code]").wait_for(state="visible")
    box = teacher.locator("[data-class-code]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["y"] + box["height"] <= viewport["height"]
    for page in (teacher, student):
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    teacher.screenshot(path=str(ARTIFACTS / f"class-teacher-{size}.png"))
    student.screenshot(path=str(ARTIFACTS / f"class-student-{size}.png"))


def test_the_class_pages_have_no_axe_violations(room):
    axe = Axe()
    teacher, student = room["teacher"].page, room["students"][0].page
    for page in (teacher, student):
        page.wait_for_timeout(1000)  # the side views redraw at most every 200 ms
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()


def test_the_class_modules_wait_for_the_first_plots_but_not_a_teacher(browser, class_server):
    """On a phone's link the class's modules would queue before plotly.js: a page that names no
    class imports them once its first plots are drawn. "Start a class" pressed before that
    imports them at once and starts the class."""
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = context.new_page()
        watched = Watched(page, class_server)
        held = []
        page.route("**/vendor/plotly-*", lambda route: held.append(route))  # plotly.js held back
        asked = lambda: [u for u in watched.requests if u.endswith("/classroom/classroom.js")]  # noqa: E731
        page.goto(f"{class_server}/?{QUICK}")
        page.wait_for_selector('[data-view="warp"][data-sketch-step]')  # the first snapshot
        page.wait_for_timeout(1500)
        assert asked() == [] and page.evaluate("() => window.Plotly") is None
        for route in held:
            route.continue_()
        page.unroute("**/vendor/plotly-*")
        page.wait_for_selector('[data-view="warp"][data-step]')  # plotly.js drew
        page.wait_for_function(
            "() => performance.getEntriesByType('resource')"
            ".some((e) => e.name.endsWith('/classroom/classroom.js'))"
        )
        assert len(asked()) == 1

        teacher = context.new_page()
        watched = Watched(teacher, class_server)
        teacher.route("**/vendor/plotly-*", lambda route: None)  # never arrives
        teacher.goto(f"{class_server}/?{QUICK}")
        teacher.wait_for_selector('[data-view="warp"][data-sketch-step]')
        assert asked() == []
        code = start_class(teacher)
        assert len(code) == 6 and len(asked()) == 1
        assert watched.errors == []
    finally:
        context.close()
