"""简体中文 is complete: every string a person can see or hear differs from the English page,
unless it is language-neutral (numbers, symbols, formulas and a short list of names).

The same views are opened in both languages and every visible string is collected: text of
visible elements (Plotly's svg text included), every option label, and title, aria-label,
aria-valuetext and placeholder attributes. A string found on both pages fails, and so does
Latin text on the Chinese page that is not on the list, and ASCII punctuation between Chinese.
"""

import random
import re

import pytest

from tests.chinese import CJK, ascii_punctuation

# Letters that may appear unchanged in both languages: math, activation and method names
# (written in Latin in Chinese textbooks too), file formats and the product's name.
NEUTRAL_WORDS = {
    "W", "b", "a", "x", "w", "E", "e", "σ", "α", "det", "tanh", "ReLU", "Leaky", "sigmoid", "Adam",
    "Xavier", "He", "L", "CSV", "PNG", "HTML", "JSON", "Layerwarp", "Shift", "N", "P", "F", "T",
    "S", "Esc",
    "XOR", "NaN", "Plotly", "js", "label", "y", "KB", "HTTP", "SGD", "format",
    "act", "res",  # stage names as URLs and lessons write them: 1.act, 2.res
}  # fmt: skip
LETTERS = re.compile(r"[^\W\d_₀-₉]+")
# each language is named in itself in the language menu
SAME_BY_DESIGN = {"English", "简体中文"}

COLLECT = """() => {
    const out = new Set();
    const add = (text) => {
        text = (text || '').replace(/\\s+/g, ' ').trim();
        if (text) out.add(text);
    };
    const visible = (el) => el.checkVisibility({ visibilityProperty: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!parent || parent.closest('script, style, option, textarea')) continue;
        if (visible(parent)) add(node.textContent);
    }
    for (const option of document.querySelectorAll('option')) add(option.textContent);
    const names = ['title', 'aria-label', 'aria-valuetext', 'placeholder'];
    for (const el of document.querySelectorAll(names.map((name) => `[${name}]`).join())) {
        if (!visible(el) && !el.closest('select')) continue;
        for (const name of names) add(el.getAttribute(name));
    }
    add(document.title);
    return Array.from(out);
}"""


def neutral(text: str) -> bool:
    return all(word in NEUTRAL_WORDS for word in LETTERS.findall(text))


def wait_ready(page) -> None:
    page.wait_for_function(
        """() => { const el = document.querySelector('[data-view="warp"]');
            const curves = document.querySelector('[data-view="curves"]');
            return el && el.dataset.step !== undefined && !el.dataset.animating
              && (!curves || curves.querySelector('.main-svg')); }""",
        timeout=60000,
    )


def collect(browser, server: str, path: str, lang: str, actions) -> set[str]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale=lang)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
    wait_ready(page)
    strings: set[str] = set(page.evaluate(COLLECT))
    for action in actions:
        strings |= set(action(page) or ())
        strings |= set(page.evaluate(COLLECT))
    context.close()
    assert errors == []
    return strings


def open_keys(page) -> None:
    page.click("[data-help-open]")
    page.locator("dialog[open]").wait_for()


def close_keys(page) -> None:
    page.keyboard.press("Escape")


def open_lesson(page) -> None:
    page.click("[data-lesson-open]")
    page.locator("[data-lesson-progress]").wait_for(timeout=60000)
    wait_ready(page)


def each_stage(page) -> set[str]:
    """Drag the stage slider over every stage, collecting what each shows on the way."""
    strings: set[str] = set()
    last = int(page.evaluate("() => document.querySelector('[data-stage-slider]').max"))
    for index in range(last + 1):
        page.evaluate(
            """(index) => { const slider = document.querySelector('[data-stage-slider]');
                slider.value = String(index);
                slider.dispatchEvent(new Event('input', { bubbles: true })); }""",
            index,
        )
        page.wait_for_function(
            "(i) => { const el = document.querySelector('[data-view=\"warp\"]');"
            " return !el.dataset.animating"
            " && document.querySelector('[data-stage-slider]').value === String(i); }",
            arg=index,
        )
        strings |= set(page.evaluate(COLLECT))
    return strings


def single_step(page) -> None:
    page.click('[data-action="pause"]')
    page.click('[data-action="step"]')
    page.locator("[data-single-step] [data-example]").wait_for(timeout=60000)


VIEWS = {
    "2-D page, stages, keys, single step": (
        # a fresh seed: a run the server has cached replays faster than `rate`, too fast to pause
        f"/?dataset=xor&layers=2&steps=2000&every=5&rate=2&seed={random.randrange(1000, 2**31)}",
        [each_stage, open_keys, close_keys, single_step],
    ),
    "3-D page and a lesson": (
        "/?width=3&layers=2&steps=40&every=20&rate=20",
        [each_stage, open_lesson],
    ),
    "embed": ("/embed?dataset=circles&layers=1&steps=40&every=20&rate=20", []),
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_visible_string_is_translated(browser, server, view):
    path, actions = VIEWS[view]
    english = collect(browser, server, path, "en", actions)
    chinese = collect(browser, server, path, "zh-CN", actions)
    same = sorted(text for text in english & chinese - SAME_BY_DESIGN if not neutral(text))
    assert same == [], f"the same in English and Chinese: {same}"
    latin = sorted(text for text in chinese - SAME_BY_DESIGN if not neutral(CJK.sub(" ", text)))
    assert latin == [], f"Latin words on the Chinese page: {latin}"
    punctuation = sorted(text for text in chinese if ascii_punctuation(text))
    assert punctuation == [], f"ASCII punctuation in Chinese text: {punctuation}"
