"""Your own data, export, load run and the embed code, in a real Chromium against a real server."""

import json
import struct
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np

from app.engine.custom_data import SCALE, decode_points, encode_points
from tests.browser.harness import ARTIFACTS
from tests.browser.offline import assert_plays_offline
from tests.browser.wire import read_stream

SHORT = "layers=3&steps=50&every=25&rate=20&stage=input"  # no hands-free motion under the test


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_js_encoding_of_points_is_pythons(watched):
    watched.open(SHORT)
    # values whose ×10000 is an exact half (NumPy rounds them to even), negatives, clipping
    xs = [0.00025, 0.00035, -0.00025, 0.00015, 1.23456, -0.5, 3.5, -4.0, 0.1, 0.7]
    ys = [0.5, -0.00045, 0.00055, 2.0, -1.0, 3.2767, -3.2767, 0.0, -0.1, 0.3]
    labels = [0, 1, 0, 1, 2, 2, 0, 1, 0, 1]
    assert any((x * SCALE) % 1 == 0.5 for x in xs + ys)  # the rounding rule is exercised
    points = [{"x": x, "y": y, "label": c} for x, y, c in zip(xs, ys, labels, strict=True)]
    encoded, decoded = watched.page.evaluate(
        """async ([points, given]) => {
            const main = document.querySelector('link[rel=modulepreload]').href;
            const data = await import(main.replace(/main\\.js$/, 'custom-data.js'));
            return [data.encodePoints(points), data.decodePoints(given)];
        }""",
        [points, encode_points(np.array([xs, ys]).T, np.array(labels))],
    )
    assert encoded == encode_points(np.array([xs, ys]).T, np.array(labels))
    X, y = decode_points(encoded)
    assert y.tolist() == labels
    np.testing.assert_allclose(X, [[p["x"], p["y"]] for p in decoded])


def click_at(page, box, u: float, v: float) -> None:
    page.mouse.click(box["x"] + u * box["width"], box["y"] + v * box["height"])


def test_points_added_by_clicking_train_and_a_click_removes_one(watched, server):
    page = watched.page
    watched.open(SHORT)
    watched.wait_drawn(step=50)
    page.check("[data-own-edit]")
    page.click("[data-own-clear]")
    # the input view draws the (empty) draft and stops zooming on drag: clicks now edit
    page.wait_for_function(
        """() => { const el = document.querySelector('[data-view=field]');
                   const drafts = (el.data || []).filter((t) => /^draft-/.test(t.name));
                   return el.layout.dragmode === false && drafts.every((t) => !t.x.length); }"""
    )
    box = page.locator("[data-view=field] .nsewdrag").bounding_box()
    clicks = [(0.2, 0.2, 0), (0.3, 0.25, 0), (0.25, 0.35, 0), (0.7, 0.7, 1), (0.8, 0.75, 1)]
    clicks += [(0.75, 0.85, 1), (0.5, 0.15, 2), (0.55, 0.1, 2)]
    for u, v, label in clicks:
        page.check(f'input[name="own-class"][value="{label}"]')
        click_at(page, box, u, v)
    assert page.text_content("[data-own-count]").startswith(f"{len(clicks)} points")
    page.wait_for_url("**dataset=custom**")
    query = query_of(page.url)
    assert query["dataset"] == "custom"
    X, y = decode_points(query["data"])
    assert y.tolist() == [label for _, _, label in clicks]
    # upper left is negative x, positive y; the data window is about ±1.25
    assert X[0, 0] < -0.5 and X[0, 1] > 0.5 and X[3, 0] > 0.3 and X[3, 1] < -0.3
    meta, _ = read_stream(server, "&".join(f"{k}={v}" for k, v in query.items()))
    assert meta["n_train"] + meta["n_test"] == len(clicks) and meta["classes"] == 3
    watched.wait_drawn(step=50)
    drawn = sum(len(t["x"]) for t in watched.warp_data() if t["name"] and "·" in t["name"])
    assert drawn == len(clicks)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator('[data-card="input"]').screenshot(path=str(ARTIFACTS / "own-data.png"))

    # a click on an existing point removes it: one point of class 2 cannot train, none can
    click_at(page, box, 0.5, 0.15)
    assert "Class 2" in page.text_content("[data-own-hint]")
    click_at(page, box, 0.55, 0.1)
    assert page.text_content("[data-own-count]").startswith(f"{len(clicks) - 2} points")
    page.wait_for_function("(data) => !location.search.includes(data)", arg=query["data"])
    X, y = decode_points(query_of(page.url)["data"])
    assert y.tolist() == [0, 0, 0, 1, 1, 1]
    assert page.text_content("[data-own-hint]") == ""
    assert watched.errors == []


def test_a_csv_with_a_bad_row_is_named_by_line_and_a_good_one_trains(watched):
    page = watched.page
    watched.open(SHORT)
    watched.wait_drawn()
    bad = "x,y,label\n0.1,0.2,0\n0.3,0.1,0\nnot,a,row\n-0.5,0.5,1\n-0.2,-0.6,1\n"
    page.set_input_files(
        "[data-own-csv]",
        files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": bad.encode()}],
    )
    page.wait_for_function("() => document.querySelector('[data-own-errors]').textContent")
    message = page.text_content("[data-own-errors]")
    assert "line 4" in message and "mine.csv" in message
    assert "dataset=custom" not in page.url
    good = bad.replace("not,a,row\n", "")
    with page.expect_request(lambda r: "/api/stream?" in r.url and "dataset=custom" in r.url):
        page.set_input_files(
            "[data-own-csv]",
            files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good.encode()}],
        )
    X, y = decode_points(query_of(page.url)["data"])
    assert y.tolist() == [0, 0, 1, 1]
    np.testing.assert_allclose(X[0], [0.1, 0.2])
    assert page.text_content("[data-own-errors]") == ""


def test_file_pickers_speak_the_pages_language_and_open_on_their_words(watched):
    """The browser draws a file input's "Choose File / No file chosen" in its own language; a
    reader of the Chinese page sees the page's words, and a click on them opens the picker."""
    page = watched.page
    watched.open(f"lang=zh-CN&{SHORT}")
    watched.wait_drawn()
    for selector, words in (("[data-own-csv]", "上传 CSV"), ("[data-load-run]", "载入训练记录")):
        label = page.locator(f"label:has({selector})")
        assert words in label.inner_text()
        assert page.eval_on_selector(selector, "(el) => getComputedStyle(el).opacity") == "0"
        inside = page.eval_on_selector(
            selector,
            """(input) => {
                const a = input.getBoundingClientRect();
                const b = input.closest('label').getBoundingClientRect();
                return a.width > 0 && a.left >= b.left - 1 && a.right <= b.right + 1
                  && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
            }""",
        )
        assert inside  # the invisible input covers its words, so a tap on them reaches it
        with page.expect_file_chooser() as chooser:
            label.click()  # at the middle of its words
        assert chooser.value.element.evaluate("(el, s) => el.matches(s)", selector)
    good = "x,y,label\n0.1,0.2,0\n0.3,0.1,0\n-0.5,0.5,1\n-0.2,-0.6,1\n"
    with page.expect_file_chooser() as chooser:
        page.locator("label:has([data-own-csv])").click()
    with page.expect_request(lambda r: "/api/stream?" in r.url and "dataset=custom" in r.url):
        chooser.value.set_files(
            files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": good.encode()}]
        )
    assert watched.errors == []


class IframeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_copy_embed_code_gives_an_iframe_of_the_current_run(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.goto(f"{server}/?dataset=moons&layers=2&seed=4&{SHORT.replace('layers=3&', '')}")
    page.wait_for_function("() => document.querySelector('[data-view=warp]').dataset.step")
    page.click("[data-embed-copy]")
    page.wait_for_function("() => document.querySelector('[data-embed-copied]').textContent")
    snippet = page.input_value("[data-embed-code]")
    assert page.evaluate("() => navigator.clipboard.readText()") == snippet
    parser = IframeParser()
    parser.feed(snippet)
    parser.close()
    assert [tag for tag, _ in parser.tags] == ["iframe"] and snippet.endswith("</iframe>")
    attrs = parser.tags[0][1]
    assert attrs["title"] and attrs["height"] and attrs["loading"] == "lazy"
    src = urlsplit(attrs["src"])
    assert f"{src.scheme}://{src.netloc}" == server and src.path == "/embed"
    embedded = query_of(attrs["src"])
    page_state = query_of(page.url)
    for name in ("dataset", "layers", "seed", "steps", "lr", "activation"):
        assert embedded[name] == page_state[name]
    assert embedded["autoplay"] == "1" and embedded["controls"] == "minimal"
    frame = context.new_page()  # the snippet's address opens an embed of that run
    frame.goto(attrs["src"])
    frame.wait_for_function("() => document.querySelector('[data-view=warp]').dataset.step")
    context.close()


def test_export_png_downloads_a_png_of_the_warp_view(watched):
    page = watched.page
    watched.open(SHORT)
    watched.wait_drawn(step=50)
    with page.expect_download() as download:
        page.click("[data-export-png]")
    path = download.value.path()
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    box = page.locator("[data-view=warp]").bounding_box()
    assert (width, height) == (round(box["width"]) * 2, round(box["height"]) * 2)
    assert download.value.suggested_filename.endswith("-step50.png")
    assert watched.errors == []  # no CSP refusal on the way (img-src data: blob:)


def test_exported_animation_plays_with_the_network_off(browser, server, tmp_path, watched):
    page = watched.page
    watched.open(SHORT)
    watched.wait_drawn(step=50)
    href = page.get_attribute("[data-export-animation]", "href")
    assert query_of(href)["step"] == "50"
    response = httpx.get(f"{server}{href}", timeout=60)
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    saved = tmp_path / "animation.html"
    saved.write_bytes(response.content)

    assert_plays_offline(browser, saved)


def test_load_run_replays_it_and_checks_the_weights(watched, server, tmp_path):
    page = watched.page
    config = "dataset=xor&layers=2&width=2&steps=60&seed=3&lr=0.05&activation=leaky_relu"
    record = httpx.get(f"{server}/api/export/run?{config}&every=20", timeout=60).json()
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(record))
    watched.open(SHORT)
    watched.wait_drawn()
    page.set_input_files("[data-load-run]", str(saved))
    report = "document.querySelector('[data-load-report]').dataset.kind"
    page.wait_for_function(f"() => ['match', 'mismatch', 'error'].includes({report})", timeout=2e4)
    assert page.get_attribute("[data-load-report]", "data-kind") == "match"
    state = query_of(page.url)
    for name, value in record["config"].items():
        if isinstance(value, bool):
            assert state[name] == str(value).lower(), name
        elif isinstance(value, int | float):
            assert float(state[name]) == value, name
        elif value is not None:
            assert state[name] == value, name
    watched.wait_drawn(step=60)

    # a file whose weights were altered is caught; one of another format is refused
    checked = record["snapshots"][len(record["snapshots"]) // 2]  # the step the page checks
    checked["layers"][0]["W"][0][0] += 0.01
    saved.write_text(json.dumps(record))
    page.set_input_files("[data-load-run]", str(saved))
    page.wait_for_function(f"() => {report} === 'mismatch'", timeout=20000)
    saved.write_text(json.dumps({"format": "something-else", "version": 1}))
    page.set_input_files("[data-load-run]", str(saved))
    page.wait_for_function(f"() => {report} === 'error'")
    assert "layerwarp-run" in page.text_content("[data-load-report]")


def test_the_embed_code_keeps_the_view_the_author_set_up(browser, server):
    """A dark theme, the filmstrip, a traced point, fixed axes and the layers' speed are URL
    state that /embed reads too; the snippet dropped them, so the frame came out plain."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    shown = "theme=dark&view=filmstrip&trace=3&axes=fixed&speed=0.5"
    page.goto(f"{server}/?dataset=xor&width=2&{SHORT}&{shown}")
    page.wait_for_function("() => document.querySelector('[data-view=warp]').dataset.step")
    page.click("[data-embed-copy]")
    parser = IframeParser()
    parser.feed(page.input_value("[data-embed-code]"))
    src = parser.tags[0][1]["src"]
    embedded = query_of(src)
    assert {name: embedded.get(name) for name in query_of(f"?{shown}")} == query_of(f"?{shown}")
    frame = context.new_page()
    frame.set_viewport_size({"width": 480, "height": 360})
    frame.goto(src)
    frame.wait_for_function("() => document.querySelector('[data-view=warp]').dataset.step")
    assert frame.evaluate("() => document.documentElement.dataset.theme") == "dark"
    frame.wait_for_function("() => !document.querySelector('[data-view=filmstrip]').hidden")
    context.close()
