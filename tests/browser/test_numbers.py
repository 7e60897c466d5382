"""Every number on screen is the data's, rounded the one documented way (format.js).

The rules, written again here in Python from the exact decimal value of each double:
- a value of the data (weight, bias, loss) to d decimals, half away from zero, trailing zeros
  kept; one that would read as 0 but is not, or is 10 000 or more, as 2 significant digits in
  scientific form (1.2e−4);
- norms, determinants and gradients to n significant digits; below 0.001 or from 10 000 up, in
  scientific form;
- every minus sign U+2212.
Each test reads the text a person sees and compares it, character for character, with the
snapshot it came from (read from the stream or /api/snapshot independently of the page).
"""

import contextlib
import random
import re
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.wire import decode_maps, read_stream

MINUS = "\u2212"
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")


def scientific(value: float, digits: int) -> str:
    exact = Decimal(value)
    exponent = exact.adjusted()
    unit = Decimal(1).scaleb(1 - digits)
    mantissa = exact.scaleb(-exponent).quantize(unit, ROUND_HALF_UP)
    if abs(mantissa) >= 10:  # 9.96e−5 → 1.0e−4
        mantissa, exponent = (mantissa / 10).quantize(unit, ROUND_HALF_UP), exponent + 1
    return f"{mantissa}e{exponent}".replace("-", MINUS)


def fixed(value: float, digits: int = 3) -> str:
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    if value != 0 and (abs(value) >= 1e4 or rounded == 0):
        return scientific(value, 2)
    return f"{abs(rounded) if rounded == 0 else rounded:f}".replace("-", MINUS)


def significant(value: float, digits: int = 2) -> str:
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-3):
        return scientific(value, digits)
    exact = Decimal(value + 0.0)  # no −0
    exponent = exact.adjusted()
    rounded = exact.quantize(Decimal(1).scaleb(exponent - digits + 1), ROUND_HALF_UP)
    if rounded.adjusted() > exponent:  # 9.96 → 10
        rounded = exact.quantize(Decimal(1).scaleb(exponent - digits + 2), ROUND_HALF_UP)
    return f"{rounded:f}".replace("-", MINUS)


def vector(values: list[float], digits: int = 3) -> str:
    return "[" + ", ".join(fixed(v, digits) for v in values) + "]"


def rows(matrix: list[list[float]], digits: int = 3) -> str:
    return "\n".join(vector(row, digits) for row in matrix)


def test_the_python_rules_are_the_documented_ones():
    assert fixed(-0.4994) == "−0.499" and fixed(1.5) == "1.500" and fixed(0.0) == "0.000"
    assert (
        fixed(0.00004) == "4.0e−5" and fixed(-0.0004, 3) == "−4.0e−4" and fixed(12345.6) == "1.2e4"
    )
    assert (
        fixed(-0.0000001, 2) == "−1.0e−7"
        and fixed(0.125, 2) == "0.13"
        and fixed(-0.125, 2) == "−0.13"
    )
    assert (
        significant(0.0123) == "0.012" and significant(123.4) == "120" and significant(1.0) == "1.0"
    )
    assert (
        significant(9.96) == "10"
        and significant(-0.00099) == "−9.9e−4"
        and significant(0.0) == "0.0"
    )


def page_module(page, name: str) -> str:
    """The versioned URL the page loaded static/js/`name` from."""
    return page.evaluate(
        """(name) => Array.from(document.querySelectorAll('link[rel=modulepreload]'), (l) => l.href)
            .find((href) => href.endsWith('/js/' + name))""",
        name,
    )


def test_format_js_rounds_as_documented(watched):
    """format.js itself against the rules above, on values chosen to hit every branch and tie."""
    watched.open("steps=1")
    values = [0.0, 1.0, -1.0, 0.5, -0.4994, 1.5, 0.125, -0.125, 0.0005, -0.0005, 0.00049, 4e-5,
              -3.14159e-9, 9.9996, 99.96, 0.00999, 1234.5, 9999.9, 10000.0, -123456.0, 2.675,
              1e-3, -0.999, 0.0015, 7.0e-4, 1 / 3, -2 / 3, 1e20]  # fmt: skip
    url = page_module(watched.page, "format.js")
    shown = watched.page.evaluate(
        """async ([url, values]) => {
            const f = await import(url);
            return values.map((v) => [f.num(v), f.num(v, 2), f.num(v, 5), f.sig(v), f.sig(v, 3),
              f.vector([v, -v], 2), f.matrix([[v, 1], [2, -v]])]);
        }""",
        [url, values],
    )
    for value, texts in zip(values, shown, strict=True):
        matrix = f"[{vector([value, 1])}; {vector([2, -value])}]"
        wanted = [fixed(value), fixed(value, 2), fixed(value, 5), significant(value),
                  significant(value, 3), vector([value, -value], 2), matrix]  # fmt: skip
        assert texts == wanted, value
        assert "-" not in "".join(texts)


def shown_stage(page) -> dict:
    """What the warp card shows at this moment: step, stage, formula text (read together)."""
    return page.evaluate(
        """() => {
            const el = document.querySelector('[data-view="warp"]');
            return { step: Number(el.dataset.step), stage: el.dataset.stage,
              animating: Boolean(el.dataset.animating),
              formula: document.querySelector('[data-formula]').textContent };
        }"""
    )


def expected_formula_numbers(snapshot: dict, stage: str) -> list[str]:
    """The numbers the formula line of `stage` must show, in order."""
    if stage == "input":
        return []
    k, kind = stage.split(".")
    layer = snapshot["layers"][int(k) - 1]
    W = [fixed(v) for row in layer["W"] for v in row]
    b = [fixed(v) for v in layer["b"]]
    return {"W": W, "b": b, "act": W + b, "res": []}[kind]


QUERY = "dataset=xor&layers=2&width=2&steps=60&every=20&rate=20&seed=3"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_formula_line_shows_each_stages_weights_digit_for_digit(watched, server, lang):
    meta, snapshots = read_stream(server, QUERY)
    watched.open(f"{QUERY}&lang={lang}&stage=input")
    last = max(snapshots)
    watched.wait_drawn(step=last, timeout=60000)
    seen = set()
    for _ in range(3 * len(meta["stages"])):
        now = shown_stage(watched.page)
        if now["animating"] or now["stage"] in seen:
            continue
        seen.add(now["stage"])
        snapshot = snapshots[now["step"]]
        shown = NUMBER.findall(now["formula"])
        assert shown == expected_formula_numbers(snapshot, now["stage"]), now
        if now["stage"] != "input":
            k, kind = now["stage"].split(".")
            layer = snapshot["layers"][int(k) - 1]
            matrix = "[" + "; ".join(vector(row) for row in layer["W"]) + "]"
            if kind in ("W", "act"):
                assert f"W{k.translate(SUBSCRIPT)} = {matrix}" in now["formula"]
            if kind in ("b", "act"):
                assert f"b{k.translate(SUBSCRIPT)} = {vector(layer['b'])}" in now["formula"]
        assert "-" not in now["formula"]
        if seen == set(meta["stages"]):
            break
        watched.page.click('[data-action="stage-next"]')
        watched.page.wait_for_function(
            "() => !document.querySelector('[data-view=\"warp\"]').dataset.animating"
        )
    assert seen == set(meta["stages"])
    assert watched.errors == []


def wait_for_text(page, script: str, wanted, timeout: int = 10000):
    """Wait until `script` evaluates to `wanted` (side views redraw on a throttle), then compare."""
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says what differs
        page.wait_for_function(
            f"(wanted) => JSON.stringify(({script})()) === JSON.stringify(wanted)",
            arg=wanted,
            timeout=timeout,
        )
    assert page.evaluate(f"({script})()") == wanted


# the layer cell's first text is its number (a link to the playground may follow)
INSPECTOR = """() => Array.from(document.querySelectorAll('[data-view="inspector"] tbody tr'),
    (row) => Array.from(row.cells, (cell, i) => (i ? cell : cell.firstChild)?.textContent ?? ''))"""


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_inspector_shows_the_snapshots_numbers_digit_for_digit(watched, server, lang):
    meta, snapshots = read_stream(server, QUERY)
    last = snapshots[max(snapshots)]
    watched.open(f"{QUERY}&lang={lang}")
    watched.wait_drawn(step=last["step"], timeout=60000)
    readout_label = watched.page.evaluate(
        "async (url) => { const i = await import(url); return i.t('inspector.readout'); }",
        page_module(watched.page, "i18n.js"),
    )
    wanted = [
        [str(k), rows(layer["W"], 2), "\n".join(fixed(v, 2) for v in layer["b"]),
         significant(layer["det"]) + (" ⚠" if layer["collapsed"] else ""),
         significant(layer["grad_norm_W"])]
        for k, layer in enumerate(last["layers"], 1)
    ]  # fmt: skip
    readout = last["readout"]
    wanted.append(
        [readout_label, rows(readout["W"], 2), "\n".join(fixed(v, 2) for v in readout["b"]), "",
         significant(readout["grad_norm_W"])]
    )  # fmt: skip
    wait_for_text(watched.page, INSPECTOR, wanted)
    assert watched.errors == []


def gradient_row(values: list[float]) -> str:
    return "[" + ", ".join(significant(g, 3) for g in values) + "]"


def test_the_single_step_shows_both_snapshots_digit_for_digit(watched, server):
    # a seed no earlier run used: a run the server has cached replays faster than `rate`
    seed = random.randrange(1000, 2**31)
    query = (
        f"dataset=xor&layers=1&width=2&optimizer=sgd&lr=0.5&steps=400&every=5&rate=2&seed={seed}"
    )
    watched.open(f"{query}&stage=input")  # no hands-free motion: the step shown is the newest
    watched.wait_drawn(timeout=45000)
    watched.page.click('[data-action="pause"]')
    watched.page.wait_for_function(
        "() => document.querySelector('[data-status]').dataset.kind === 'paused'", timeout=60000
    )
    before_step = int(watched.page.get_attribute('[data-view="warp"]', "data-step"))
    watched.page.click('[data-action="step"]')
    watched.page.locator("[data-single-step] [data-example]").wait_for(timeout=15000)
    before, after = (
        decode_maps(
            httpx.get(f"{server}/api/snapshot?{query}&step={s}&form=wire", timeout=30).json()
        )
        for s in (before_step, before_step + 1)
    )
    table = watched.page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-view="single"] tbody tr'),
            (row) => Array.from(row.cells, (cell) => cell.textContent))"""
    )
    layers = [*before["layers"], before["readout"]]
    later = [*after["layers"], after["readout"]]
    assert [row[1:] for row in table] == [
        [rows(a["W"]), "\n".join(gradient_row(r) for r in a["grad_W"]), rows(b["W"])]
        for a, b in zip(layers, later, strict=True)
    ]  # fmt: skip
    text = watched.page.text_content('[data-view="single"]')
    loss_before, loss_after = before["metrics"]["loss_train"], after["metrics"]["loss_train"]
    change = loss_after - loss_before
    assert (
        f"{fixed(loss_before, 5)} → {fixed(loss_after, 5)} ("
        f"{'+' if change > 0 else ''}{fixed(change, 5)})"
    ) in text
    assert "α = 0.5" in text
    example = watched.page.text_content("[data-single-step] [data-example]")
    grad = layers[0]["grad_W"]
    i, j = max(
        ((i, j) for i in range(len(grad)) for j in range(len(grad[0]))),
        key=lambda ij: (abs(grad[ij[0]][ij[1]]), -ij[0], -ij[1]),
    )
    w = layers[0]["W"][i][j]
    assert (
        f"W₁[{i + 1},{j + 1}]: {fixed(w, 6)} − 0.5 × {significant(grad[i][j], 4)} = "
        f"{fixed(w - 0.5 * grad[i][j], 6)}; after the step: {fixed(later[0]['W'][i][j], 6)}"
    ) in example
    assert "-" not in text
    assert watched.errors == []


HOVER = """([selector, curve, point, mark]) => {
    const el = document.querySelector(selector);
    const subplot = `x${el.data[curve].yaxis ?? 'y'}`;
    // Plotly throttles hovers: wait_for_function asks again until this point's label is up
    Plotly.Fx.hover(el, [{ curveNumber: curve, pointNumber: point }], subplot);
    const text = el.querySelector('.hoverlayer').textContent;
    return text.includes(mark) ? text : null;
}"""


def hover(page, selector: str, curve: int, point: int, mark: str) -> str:
    """The tooltip of one point, once it shows `mark` (the point's step or stage)."""
    return page.wait_for_function(HOVER, arg=[selector, curve, point, mark]).json_value()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_tooltips_show_the_snapshots_numbers(watched, server, lang):
    meta, snapshots = read_stream(server, QUERY)
    ordered = [snapshots[step] for step in sorted(snapshots)]
    watched.open(f"{QUERY}&lang={lang}")
    watched.wait_drawn(step=ordered[-1]["step"], timeout=60000)
    wait_for_text(
        watched.page,
        "() => document.querySelector('[data-view=\"curves\"]').data?.[0]?.x.length",
        len(ordered),
    )
    step_word = ("step {}: " if lang == "en" else "第 {} 步：").format
    for curve, key in enumerate(("loss_train", "loss_test", "acc_train", "acc_test")):
        for point in (0, len(ordered) - 1):
            snapshot = ordered[point]
            mark = step_word(snapshot["step"])
            shown = hover(watched.page, '[data-view="curves"]', curve, point, mark)
            assert f"{mark}{fixed(snapshot['metrics'][key])}" in shown
    last = ordered[-1]["separability"]
    for point, value in enumerate(last):
        stage = str(point) if point else ("input" if lang == "en" else "输入")
        mark = f"{stage}{': ' if lang == 'en' else '：'}"
        shown = hover(watched.page, '[data-view="separability"]', 0, point, mark)
        assert shown.endswith(f"{mark}{fixed(value)}"), shown
    assert watched.errors == []
