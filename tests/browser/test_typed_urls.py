"""A typed page or embed URL runs what it says, as /api/config resolves it (the preset first, then
the fields), and the screen shows it: the controls, the presets menu and its note, the stage, the
URL written back. A name that means nothing (a preset, lesson step or stage) is named in a notice
with what is allowed, in English and 简体中文, and left out of the URL."""

import math
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

# Two snapshots a second at most: each one is drawn, so a faster pace on a busy machine queues
# redraws and the page answers late; these tests read the config, menus and notices, not motion.
PACE = "every=20&rate=2"
SLOW = "every=50&rate=1"  # for the 3-D presets (spiral3, xor), heavier to draw


def api_config(server: str, query: str) -> dict:
    response = httpx.get(f"{server}/api/config?{query}")
    assert response.status_code == 200, response.text
    return response.json()


def url_query(page) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}


def shown_config(page) -> dict[str, str]:
    """Every config field as its control shows it (a checkbox: 'true'/'false')."""
    return page.evaluate(
        """() => Object.fromEntries(
            [...document.querySelectorAll('[data-controls] [data-field]')].map((el) =>
                [el.dataset.field, el.type === 'checkbox' ? String(el.checked) : el.value]))"""
    )


def same(shown: str, value) -> bool:
    if value is None:
        return shown == ""
    if isinstance(value, bool):
        return shown == str(value).lower()
    if isinstance(value, int | float):
        return shown != "" and float(shown) == value
    return shown == value


def wait_url_written(page) -> None:
    page.wait_for_function("() => location.search.includes('dataset=')", timeout=60000)


def assert_runs(page, config: dict) -> None:
    """The controls and the URL both state `config`, field for field."""
    shown, stated = shown_config(page), url_query(page)
    for name, value in config.items():
        assert same(shown[name], value), (name, shown[name], value)
        if value is None:
            assert name not in stated, name
        else:
            assert same(stated[name], value), (name, stated[name], value)


def menu(page) -> tuple[str, str]:
    """(the presets menu's value, the text of its chosen option)."""
    value, text = page.evaluate(
        """() => { const s = document.querySelector('[data-presets]');
            return [s.value, s.selectedOptions[0].textContent]; }"""
    )
    return value, text


def note(page) -> str | None:
    """The preset note's text, or None while it is hidden."""
    box = page.locator("[data-preset-note]")
    return box.text_content() if box.is_visible() else None


def notice_lines(page) -> list[str]:
    page.locator("[data-url-notice]").wait_for(state="visible", timeout=60000)
    return page.locator("[data-url-notice-text] p").all_text_contents()


@pytest.fixture(scope="module")
def presets(server) -> dict[str, dict]:
    return {p["name"]: p for p in httpx.get(f"{server}/api/presets").json()}


def test_a_typed_preset_runs_it_and_the_menu_and_note_say_so(watched, server, presets):
    with watched.page.expect_request(lambda r: "/api/stream?" in r.url) as opened:
        watched.open(f"preset=spiral3&{SLOW}")
    wait_url_written(watched.page)
    spiral3 = presets["spiral3"]
    assert_runs(watched.page, api_config(server, "preset=spiral3"))
    assert "dataset=spiral3" in opened.value.url
    assert menu(watched.page) == ("spiral3", spiral3["title"]["en"])
    assert note(watched.page) == spiral3["explanation"]["en"]
    assert next(iter(url_query(watched.page))) == "preset"  # resolved first, written first
    assert url_query(watched.page)["preset"] == "spiral3"
    assert watched.page.locator("[data-url-notice]").is_hidden()
    assert watched.errors == []


def test_a_preset_with_an_override_runs_both_and_is_no_longer_the_preset(watched, server):
    watched.open(f"preset=xor&layers=2&{SLOW}")
    wait_url_written(watched.page)
    config = api_config(server, "preset=xor&layers=2")
    assert config["dataset"] == "xor" and config["layers"] == 2 and config["width"] == 3
    assert_runs(watched.page, config)
    assert menu(watched.page)[0] == "" and note(watched.page) is None
    assert "preset" not in url_query(watched.page)
    watched.page.wait_for_function(  # input + 2 layers × (W, b, act)
        "() => document.querySelector('[data-stage-slider]').max === '6'"
    )
    # the URL written back reproduces the run on its own
    assert api_config(server, urlsplit(watched.page.url).query) == config


def test_values_are_read_as_the_api_reads_them(watched, server):
    query = "layers=03&residual=yes&seed=1000&noise=.5&steps=30"
    watched.open(f"{query}&{PACE}")
    watched.wait_drawn()
    config = api_config(server, query)
    assert (config["layers"], config["residual"], config["seed"], config["steps"]) == (
        3,
        True,
        1000,
        30,
    )
    assert_runs(watched.page, config)


@pytest.mark.parametrize("value", ["3.0", "1_0", "+3", "%203"])
def test_an_integer_not_in_plain_digits_is_named_as_the_api_refuses_it(watched, server, value):
    """The API refuses an integer that is not plain digits (422 naming it): so does the page,
    and the page's own reading of its URL does not run it as a number either."""
    assert httpx.get(f"{server}/api/config?layers={value}").status_code == 422
    response = watched.page.goto(f"{watched.base}/?layers={value}&{PACE}")
    assert response.status == 422
    assert watched.page.text_content('[data-error-for="layers"]')  # the control says so too
    assert "layers must be an integer between 0 and 16 (got " in watched.page.text_content(
        "[data-query-errors]"
    )
    read = watched.page.evaluate(
        """async (text) => {
            const entry = document.querySelector('script[type="module"][src*="/js/"]').src;
            return (await import(new URL('url.js', entry))).parseValue('integer', text);
        }""",
        watched.page.evaluate("() => new URLSearchParams(location.search).get('layers')"),
    )
    assert math.isnan(read)  # not read as 3 or 10


def test_the_menu_and_note_follow_the_config(watched, presets):
    watched.open(f"steps=40&{PACE}")
    watched.wait_drawn()
    assert menu(watched.page)[0] == "" and note(watched.page) is None
    watched.page.select_option("[data-presets]", "circles-2d")
    assert note(watched.page) == presets["circles-2d"]["explanation"]["en"]
    assert url_query(watched.page)["preset"] == "circles-2d"
    watched.page.fill('[data-field="seed"]', "5")
    watched.page.dispatch_event('[data-field="seed"]', "change")
    assert menu(watched.page)[0] == "" and note(watched.page) is None
    assert "preset" not in url_query(watched.page)
    watched.page.fill('[data-field="seed"]', "0")
    watched.page.dispatch_event('[data-field="seed"]', "change")  # back to the preset's config
    assert menu(watched.page)[0] == "circles-2d"
    assert note(watched.page) == presets["circles-2d"]["explanation"]["en"]
    assert url_query(watched.page)["preset"] == "circles-2d"


def test_the_defaults_are_the_spiral2_preset(watched, presets):
    watched.open("stage=input")  # no config field: the defaults, without the hands-free motion
    wait_url_written(watched.page)
    assert menu(watched.page) == ("spiral2", presets["spiral2"]["title"]["en"])
    assert note(watched.page) == presets["spiral2"]["explanation"]["en"]


def test_the_embed_runs_a_typed_preset(browser, server):
    context = browser.new_context(viewport={"width": 640, "height": 560})
    page = context.new_page()
    page.goto(f"{server}/embed?preset=xor&autoplay=1&{SLOW}")
    wait_url_written(page)
    config = api_config(server, "preset=xor")
    stated = url_query(page)
    assert stated["preset"] == "xor" and stated["autoplay"] == "1"
    for name, value in config.items():
        assert same(stated.get(name, ""), value), name
    # autoplay: it trains on by itself
    page.wait_for_function(
        "() => Number(document.querySelector('[data-view=warp]').dataset.step) >= 50",
        timeout=30000,
    )
    full = page.get_attribute("[data-open-full]", "href")
    assert parse_qs(urlsplit(full).query)["preset"] == ["xor"]
    assert page.locator("[data-url-notice]").is_hidden()
    context.close()


@pytest.mark.parametrize(
    ("lang", "words", "separator"),
    [("en", ["“nosuch”", "Presets:"], ", "), ("zh-CN", ["“nosuch”", "可用的预设："], "、")],
)
def test_an_unknown_preset_is_named_and_dropped(watched, server, presets, lang, words, separator):
    response = watched.page.goto(f"{server}/?preset=nosuch&layers=3&lang={lang}&{PACE}")
    assert response.status == 422  # as the API answers it
    (line,) = notice_lines(watched.page)
    for word in [*words, separator.join(presets)]:
        assert word in line, (word, line)
    watched.wait_drawn()
    assert "preset" not in url_query(watched.page)
    assert_runs(watched.page, api_config(server, "layers=3"))
    assert watched.page.locator("[data-query-errors]").count() == 0  # said once, in the language


def test_a_bad_field_beside_a_preset_still_shows_the_preset_and_names_the_field(watched):
    response = watched.page.goto(f"{watched.base}/?preset=xor&layers=99")
    assert response.status == 422
    assert "16" in watched.page.text_content('[data-error-for="layers"]')
    shown = shown_config(watched.page)
    assert shown["dataset"] == "xor" and shown["layers"] == "99"
    assert "layers" in watched.page.text_content("[data-query-errors]")


@pytest.mark.parametrize(
    ("lang", "words", "separator"),
    [("en", ["“nosuch”", "Lesson steps:"], ", "), ("zh-CN", ["“nosuch”", "可用的步骤："], "、")],
)
def test_an_unknown_lesson_is_named_and_dropped(watched, server, lang, words, separator):
    ids = [step["id"] for step in httpx.get(f"{server}/api/lessons").json()]
    watched.open(f"lesson=nosuch&steps=40&lang={lang}&{PACE}")
    (line,) = notice_lines(watched.page)
    for word in [*words, separator.join(ids)]:
        assert word in line, (word, line)
    watched.page.wait_for_function("() => !location.search.includes('lesson=')")
    assert watched.page.locator("[data-lesson]").is_hidden()
    watched.page.click("[data-url-notice-close]")
    assert watched.page.locator("[data-url-notice]").is_hidden()


@pytest.mark.parametrize(
    ("lang", "words"), [("en", ["“9.act”", "Stages:"]), ("zh-CN", ["“9.act”", "可用的阶段："])]
)
def test_an_unknown_stage_is_named_and_dropped(watched, lang, words):
    watched.open(f"layers=2&steps=40&stage=9.act&lang={lang}&{PACE}")
    (line,) = notice_lines(watched.page)
    separator = "、" if lang == "zh-CN" else ", "
    stages = ["input", "1.W", "1.b", "1.act", "2.W", "2.b", "2.act", "last"]
    for word in [*words, separator.join(stages)]:
        assert word in line, (word, line)
    watched.wait_drawn(stage="input")
    assert url_query(watched.page)["stage"] == "input"


def test_an_embed_names_an_unknown_stage_and_preset(browser, server):
    context = browser.new_context(viewport={"width": 640, "height": 560})
    page = context.new_page()
    page.goto(f"{server}/embed?preset=nope&layers=1&stage=5.act&{PACE}")
    page.locator("[data-url-notice]").wait_for(state="visible")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-url-notice-text] p').length === 2"
    )
    preset, stage = page.locator("[data-url-notice-text] p").all_text_contents()
    assert "“nope”" in preset and "xor" in preset
    assert "“5.act”" in stage and "1.act, last" in stage
    stated = url_query(page)
    assert "preset" not in stated and stated["stage"] == "input"
    context.close()


@pytest.mark.parametrize(
    ("query", "last"), [("layers=3", "3.act"), ("layers=2&residual=true", "2.res")]
)
def test_stage_last_opens_the_last_stage_and_stays_last(watched, query, last):
    watched.open(f"{query}&steps=40&stage=last&{PACE}")
    watched.wait_drawn(stage=last)
    assert url_query(watched.page)["stage"] == "last"
    assert watched.page.locator("[data-url-notice]").is_hidden()
    watched.page.fill('[data-field="layers"]', "1")
    watched.page.dispatch_event('[data-field="layers"]', "change")
    watched.wait_drawn(stage=last.replace(last[0], "1", 1))  # another network: its own last
    assert url_query(watched.page)["stage"] == "last"
