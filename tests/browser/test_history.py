"""Back and Forward (issue 22, item 4): a change a person chose is a history entry of its own,
and Back and Forward put each entry back on the screen; looking around (stages, the timeline,
the layers' speed) adds none, so Back never leaves the app with the work in it."""

import json
from urllib.parse import parse_qs, urlsplit

SHOWN = """() => {
  const lesson = document.querySelector('[data-lesson]');
  return JSON.stringify({
    fields: Object.fromEntries([...document.querySelectorAll('[data-controls] [data-field]')].map(
      (el) => [el.dataset.field, el.type === 'checkbox' ? String(el.checked) : el.value])),
    preset: document.querySelector('[data-presets]').value,
    lesson: lesson.hidden ? null : document.querySelector('[data-lesson-title]').textContent,
    filmstrip: document.querySelector('[data-filmstrip-toggle]').checked,
    theme: document.documentElement.dataset.theme,
  });
}"""
LANDING = "stage=input&steps=300&every=50&rate=20&theme=light"


def shown(page) -> dict:
    """What the screen shows: the form's values, the preset, the lesson's title, the toggles."""
    return json.loads(page.evaluate(SHOWN))


def wait_shown(page, expected: dict, what: str) -> None:
    """Until the screen shows `expected` (a restored run redraws its form at once)."""
    try:
        page.wait_for_function(
            f"(expected) => ({SHOWN})() === expected",
            arg=json.dumps(expected, separators=(",", ":"), ensure_ascii=False),
            timeout=30000,
        )
    except Exception as error:  # say what differs, not just that it timed out
        raise AssertionError(
            f"{what}: expected {expected}, the screen shows {shown(page)}"
        ) from error


def streamed(watched) -> dict:
    """The config of the run the page streams now: its newest /api/stream request's fields."""
    url = [u for u in watched.requests if "/api/stream?" in u][-1]
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def leave_controls(page) -> None:
    """Focus off any control, as a person clicking the page's background: keys reach the page."""
    page.evaluate("document.activeElement?.blur()")


def choose_lr(page) -> None:
    page.fill("[data-field='lr']", "0.07")
    page.keyboard.press("Tab")  # the change lands when the field is left, as a person does


def choose_preset(page) -> None:
    page.focus("[data-presets]")
    page.keyboard.press("ArrowDown")  # the next preset in the closed menu, chosen by a key


def lesson_step(page) -> None:
    leave_controls(page)
    page.keyboard.press("n")
    page.wait_for_selector("[data-lesson-title]", state="visible")


CHANGES = [
    ("a setting", choose_lr),
    ("a preset", choose_preset),
    ("a view toggle", lambda page: page.click("[data-filmstrip-toggle]")),
    ("a lesson step (N)", lesson_step),
    ("the theme", lambda page: page.click("[data-theme-toggle]")),
]


def test_back_and_forward_walk_five_chosen_changes(watched):
    page = watched.page
    watched.open(LANDING)
    watched.wait_drawn(timeout=60000)
    before = page.evaluate("history.length")
    screens, urls = [shown(page)], [page.url]
    for count, (what, change) in enumerate(CHANGES, start=1):
        change(page)
        page.wait_for_function("(n) => history.length === n", arg=before + count, timeout=10000)
        watched.wait_drawn(timeout=60000)
        screens.append(shown(page))
        urls.append(page.url)
        assert screens[-1] != screens[-2], f"{what} changed nothing on screen"
    assert screens[3]["lesson"] is None and screens[4]["lesson"], "N opened the lesson"
    assert screens[5]["theme"] == "dark"
    for back in range(len(CHANGES) - 1, -1, -1):
        page.go_back()
        wait_shown(page, screens[back], f"Back to state {back}")
        assert page.url == urls[back]
        run = streamed(watched)  # the entry's own run, restarted as its typed URL would be
        for name, value in screens[back]["fields"].items():
            assert run.get(name, "") == value, f"Back to state {back}: the run's {name}"
        assert page.evaluate("history.length") == before + len(CHANGES), "a restore adds no entry"
    watched.wait_drawn(timeout=60000)
    assert page.url.startswith(watched.base), "the landing entry is still the app's"
    for forward in range(1, len(CHANGES) + 1):
        page.go_forward()
        wait_shown(page, screens[forward], f"Forward to state {forward}")
        assert page.url == urls[forward]
    assert page.evaluate("history.length") == before + len(CHANGES)
    assert watched.errors == []


def test_back_from_the_landing_entry_leaves_and_forward_returns(watched):
    """Five Backs stay in the app; the sixth leaves it, from the landing entry, and Forward comes
    back to the app as it was (a new document: the URL alone reproduces the state)."""
    page = watched.page
    watched.open(LANDING)
    watched.wait_drawn(timeout=60000)
    landing = page.url
    choose_lr(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.07'")
    changed = shown(page)
    page.go_back()
    assert page.url == landing and shown(page)["fields"]["lr"] != "0.07"
    page.go_back()
    assert not page.url.startswith(watched.base), "the landing entry was the app's last"
    page.go_forward()
    page.go_forward()
    wait_shown(page, changed, "Forward into the app again")


def test_looking_around_adds_no_entries(watched):
    """Stages (keys, the slider dragged), the timeline (keys, dragged) and the layers' speed
    rewrite the current entry: after them one Back still undoes the one setting changed."""
    page = watched.page
    watched.open(LANDING)
    watched.wait_drawn(timeout=60000)
    page.wait_for_function(
        "() => document.querySelector('[data-status]').dataset.kind.startsWith('done')",
        timeout=120000,
    )
    before = page.evaluate("history.length")
    landing = page.url
    choose_lr(page)
    page.wait_for_function("(n) => history.length === n", arg=before + 1, timeout=10000)
    watched.wait_drawn(timeout=60000)
    chosen = page.url
    leave_controls(page)
    for key in ["ArrowRight", "ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "ArrowDown", "]"]:
        page.keyboard.press(key)
    watched.wait_drawn(timeout=60000)
    for slider in ["[data-stage-slider]", "[data-timeline]"]:
        box = page.locator(slider).bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + 4, y)
        page.mouse.down()
        for step in range(1, 9):  # a drag: many input events before the drop
            page.mouse.move(box["x"] + box["width"] * step / 9, y)
        page.mouse.up()
    watched.wait_drawn(timeout=60000)
    assert page.evaluate("history.length") == before + 1, "looking around added history entries"
    assert page.url != chosen, "the stage and speed are still written to the current entry"
    page.go_back()
    page.wait_for_function(
        "(lr) => document.querySelector(\"[data-field='lr']\").value === lr",
        arg=dict(p.split("=") for p in landing.split("?")[1].split("&"))["lr"],
    )
    assert page.url == landing
    assert watched.errors == []
