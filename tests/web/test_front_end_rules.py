"""Two rules of the front end read from its source (the behaviour is in
tests/browser/test_store.py): only the store (state.js) writes the page's state, and renderers
(static/js/render/) take theme and language from their caller, never from the document or the
page's i18n module."""

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "static" / "js"

# `state.x = …`, `this.state.x += …`, `state.x.y = …`, `state.x++`; not `==` or `=>`
STATE_WRITE = re.compile(r"\bstate(?:\.\w+)+\s*(?:[-+*/]?=(?![=>])|\+\+|--)")
DOCUMENT_LOOK = re.compile(r"documentElement|getComputedStyle|\.dataset\.(?:theme|present)\b")
I18N_IMPORT = re.compile(r"from '\.\./i18n\.js'")


def scripts(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.js"))


def test_no_module_but_the_store_writes_its_state():
    writes = [
        f"{path.relative_to(JS)}:{number}: {line.strip()}"
        for path in scripts(JS)
        if path.name != "state.js"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STATE_WRITE.search(line)
    ]
    assert writes == [], "write through the store's methods instead:\n" + "\n".join(writes)


def test_the_rule_finds_a_write_around_the_store():
    assert STATE_WRITE.search("  state.config = { ...state.config, lr };")
    assert STATE_WRITE.search("this.state.paused = true;")
    assert not STATE_WRITE.search("if (state.paused === true) return;")
    assert not STATE_WRITE.search("const f = (state) => state.meta;")


def test_renderers_read_no_theme_or_language_of_their_own():
    found = [
        f"{path.relative_to(JS)}:{number}: {line.strip()}"
        for path in scripts(JS / "render")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DOCUMENT_LOOK.search(line) or I18N_IMPORT.search(line)
    ]
    assert found == [], "take them from the caller's look (style.js plotLook):\n" + "\n".join(found)
