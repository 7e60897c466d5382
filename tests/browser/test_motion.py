"""The warp view moves by itself, at the speed chosen, and follows every key: read off the screen
(Plotly's own trace data, the caption, the slider, the URL), never from the page's variables."""

from urllib.parse import parse_qs, urlsplit

TRAINING = "layers=1&steps=20000&every=5&rate=2"  # trains for the whole test (and 2,000 s more)
SLOW = 120000  # ms: a pass under a loaded machine (8 test runs on 2 cores) can take a minute
SHORT = "layers=3&steps=50&every=25&rate=20"  # done in about a second

STAGE_LOG = """() => {
    // every stage the plot settles on, and the caption at the start of each tween's first frame
    const el = document.querySelector('[data-view="warp"]');
    window.stagesSeen = [];
    window.captionsAtFirstFrame = [];
    new MutationObserver(() => {
        const stage = el.dataset.stage;
        if (stage && window.stagesSeen.at(-1) !== stage) window.stagesSeen.push(stage);
    }).observe(el, { attributes: true, attributeFilter: ['data-stage'] });
    new MutationObserver(() => {
        if (el.dataset.animating) {
            el.once('plotly_animatingframe', () => window.captionsAtFirstFrame.push(
                document.querySelector('[data-stage-name]').textContent));
        }
    }).observe(el, { attributes: true, attributeFilter: ['data-animating'] });
}"""


SHOWN = """() => {
    const el = document.querySelector('[data-view="warp"]');
    const caption = document.querySelector('[data-stage-name]').textContent;
    return { stage: el.dataset.stage, caption,
        x: el.data.filter((t) => (t.name || '').includes('·')).flatMap((t) => Array.from(t.x)) };
}"""


def label(stage: str) -> str:
    """The caption the page shows in English for a stage's name (strings.js stageName.*)."""
    if stage == "input":
        return "input"
    layer, kind = stage.split(".")
    return f"layer {layer} · " + {"W": "W", "b": "+ b", "act": "σ"}[kind]


def wait_later(watched, step: int) -> None:
    """Wait until the plot shows a snapshot at or after `step` (draws may coalesce under load)."""
    watched.page.wait_for_function(
        "(n) => Number(document.querySelector('[data-view=warp]').dataset.step) >= n",
        arg=step,
        timeout=SLOW,
    )


def points(watched) -> list[float]:
    """The x of every drawn point, as Plotly holds it."""
    return watched.page.evaluate(SHOWN)["x"]


def query_of(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_landing_the_layers_play_by_themselves_and_loop_while_training(watched):
    watched.open(TRAINING)
    watched.wait_drawn(stage="input", timeout=SLOW)
    watched.page.evaluate(STAGE_LOG)
    before = points(watched)
    # no click, no key: the plot moves to the last stage, then starts again from the input
    watched.page.wait_for_function(
        "() => window.stagesSeen.includes('1.act')"
        " && window.stagesSeen.lastIndexOf('input') > window.stagesSeen.indexOf('1.act')",
        timeout=SLOW,
    )
    assert watched.page.get_attribute('[data-view="warp"]', "data-hands-free") == "on"
    shown = watched.page.wait_for_function(  # one look: the loop may move on right after
        f"() => {{ const shown = ({SHOWN})(); return shown.stage === '1.act' && shown; }}",
        timeout=SLOW,
    ).json_value()
    assert shown["caption"] == label("1.act")
    assert shown["x"] != before, "the drawn positions never changed"
    assert "stage" not in query_of(watched.page), "the motion's stage must not pin a reload"
    assert watched.errors == []


def test_loop_0_plays_once_and_rests_at_the_last_stage(watched):
    watched.open(f"{TRAINING}&loop=0")
    watched.page.evaluate(STAGE_LOG)
    watched.wait_drawn(stage="1.act", timeout=SLOW)
    step = int(watched.page.get_attribute('[data-view="warp"]', "data-step"))
    wait_later(watched, step + 50)  # ten snapshots later, still resting
    seen = watched.page.evaluate("() => window.stagesSeen")
    assert seen[-1] == "1.act"
    assert "input" not in seen[seen.index("1.act") :], seen
    assert query_of(watched.page)["loop"] == "0"


def test_a_key_takes_over_and_the_stage_then_stays_put(watched):
    watched.open(TRAINING)
    watched.wait_drawn(timeout=SLOW)
    page = watched.page
    page.wait_for_function(
        "() => document.querySelector('[data-view=\"warp\"]').dataset.stage === '1.W'", timeout=SLOW
    )
    page.keyboard.press("ArrowLeft")  # during the rest on 1.W or the tween on to 1.b
    assert page.get_attribute('[data-view="warp"]', "data-hands-free") == "off"
    page.wait_for_function("() => !document.querySelector('[data-view=warp]').dataset.animating")
    stage = page.get_attribute('[data-view="warp"]', "data-stage")
    assert stage in ("input", "1.W")
    step = int(page.get_attribute('[data-view="warp"]', "data-step"))
    wait_later(watched, step + 25)  # five snapshots later it has not moved
    assert page.get_attribute('[data-view="warp"]', "data-stage") == stage
    assert page.text_content("[data-stage-name]") == label(stage)
    assert query_of(page)["stage"] == stage


def test_a_url_that_names_a_stage_shows_that_stage(watched):
    watched.open(f"{SHORT}&stage=1.act")
    watched.wait_drawn(step=50, stage="1.act", timeout=SLOW)
    assert watched.page.get_attribute('[data-view="warp"]', "data-hands-free") is None


def test_the_caption_names_the_stage_entered_from_the_first_frame(watched):
    watched.open(f"{SHORT}&stage=input")
    watched.wait_drawn(step=50, stage="input", timeout=SLOW)
    watched.page.evaluate(STAGE_LOG)
    for key, expected in [("ArrowRight", "1.W"), ("ArrowRight", "1.b"), ("ArrowLeft", "1.W")]:
        watched.page.keyboard.press(key)
        watched.wait_drawn(stage=expected)
        assert watched.page.evaluate("() => window.captionsAtFirstFrame.at(-1)") == label(expected)
    captions = watched.page.evaluate("() => window.captionsAtFirstFrame")
    assert captions == [label("1.W"), label("1.b"), label("1.W")]


def test_three_presses_during_a_tween_move_three_stages(watched):
    watched.open(f"{SHORT}&stage=input")
    watched.wait_drawn(step=50, stage="input", timeout=SLOW)
    page = watched.page
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)  # pressed while the first tween (450 ms) still runs
    watched.wait_drawn(stage="1.act")
    page.wait_for_timeout(600)  # nothing more queued: it stays
    assert page.get_attribute('[data-view="warp"]', "data-stage") == "1.act"
    assert page.input_value("[data-stage-slider]") == "3"
    assert page.text_content("[data-stage-name]") == label("1.act")


def test_speed_keys_and_menu_change_how_fast_the_layers_play(watched):
    watched.open(f"{SHORT}&stage=input")
    watched.wait_drawn(step=50, stage="input", timeout=SLOW)
    page = watched.page
    page.click('[data-action="play-layers"]')
    watched.wait_drawn(stage="3.act", timeout=SLOW)
    normal = int(page.get_attribute('[data-view="warp"]', "data-tween-ms"))
    page.keyboard.press("]")
    page.keyboard.press("]")
    assert page.input_value("[data-speed-menu]") == "4"
    assert query_of(page)["speed"] == "4"
    page.click('[data-action="play-layers"]')
    watched.wait_drawn(stage="3.act", timeout=SLOW)
    assert int(page.get_attribute('[data-view="warp"]', "data-tween-ms")) * 4 <= normal + 4
    for _ in range(5):
        page.keyboard.press("[")
    assert page.input_value("[data-speed-menu]") == "0.25"
    page.select_option("[data-speed-menu]", "1")
    assert "speed" not in query_of(page)
    page.keyboard.press("?")
    rows = page.locator("[data-help-keys] tr").all_text_contents()
    assert any("[ / ]" in row and "slower / faster" in row for row in rows)


def test_the_speed_control_speaks_chinese(watched):
    watched.open(f"{SHORT}&stage=input&lang=zh-CN&speed=0.5")
    watched.wait_drawn(step=50, timeout=SLOW)
    assert watched.page.text_content("label.speed span") == "速度"
    assert watched.page.input_value("[data-speed-menu]") == "0.5"
    watched.page.keyboard.press("?")
    rows = watched.page.locator("[data-help-keys] tr").all_text_contents()
    assert any("[ / ]" in row and "放慢 / 加快" in row for row in rows)


def test_an_autoplay_embed_plays_the_layers_by_itself(browser, server):
    page = browser.new_page(viewport={"width": 640, "height": 480})
    try:
        page.goto(f"{server}/embed?{TRAINING}&autoplay=1")
        page.wait_for_function(
            "() => ['1.W', '1.b', '1.act']"
            ".includes(document.querySelector('[data-view=warp]').dataset.stage)",
            timeout=SLOW,
        )
        assert page.get_attribute('[data-view="warp"]', "data-hands-free") == "on"
        assert "stage=" not in page.url
    finally:
        page.close()
