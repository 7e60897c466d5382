"""The strings table (static/js/strings.js): both languages have the same keys and placeholders,
every key is used somewhere, and every key the pages or the scripts use is in the table.

Uses are read the way they are written: data-i18n* attributes in the rendered pages, string
literals in the scripts, and `prefix.${name}` families, whose names this test lists from
their sources (lessons, the stream's done reasons, custom-data.js), so a new family or a new
member without strings fails here.
"""

import re
from pathlib import Path

import pytest

from app.engine.stages import LAYER_KINDS
from app.lessons import LESSONS, VIEWS
from app.presets import PRESETS
from app.web.pages import control_fields
from app.web.stream import MESSAGES
from tests.chinese import ascii_punctuation

JS = Path(__file__).resolve().parents[2] / "static" / "js"
STRINGS_JS = JS / "strings.js"
LANGUAGES = ("en", "zh-CN")

ENTRY = re.compile(r"^    '([^']+)': '((?:[^'\\]|\\.)*)',$")
LITERAL = re.compile(r"""'([\w.]+)'|"([\w.]+)\"""")
FAMILY = re.compile(r"`((?:[a-z]\w*\.)+\w*)\$\{")
ATTRIBUTE = re.compile(r'data-i18n(?:-aria-label|-title)?="([^"]+)"')
PLACEHOLDER = re.compile(r"\{(\w+)\}")
STAGE_KINDS = {"input", *LAYER_KINDS}  # the records' kinds the caption names (format.js)


def read_tables() -> dict[str, dict[str, str]]:
    """strings.js parsed strictly: one `'key': 'text',` per line inside each language's table."""
    tables: dict[str, dict[str, str]] = {}
    language = None
    for number, line in enumerate(STRINGS_JS.read_text(encoding="utf-8").splitlines(), 1):
        if line in ("  en: {", "  'zh-CN': {"):
            language = line.strip(" :{'")
            tables[language] = {}
        elif line == "  },":
            language = None
        elif language and line:
            entry = ENTRY.match(line)
            assert entry, f"strings.js:{number} is not one `'key': 'text',` line: {line!r}"
            key, text = entry.groups()
            assert key not in tables[language], f"{key} twice in {language}"
            tables[language][key] = text
    return tables


TABLES = read_tables()
KEYS = set(TABLES["en"])
NAMESPACES = {key.split(".")[0] for key in KEYS if "." in key}


def scripts() -> dict[str, str]:
    return {
        path.relative_to(JS).as_posix(): path.read_text(encoding="utf-8")
        for path in JS.rglob("*.js")
        if path != STRINGS_JS
    }


def families() -> dict[str, set[str]]:
    """Each `prefix.${name}` family and the names it can take, from where they come from."""
    custom = (JS / "custom-data.js").read_text(encoding="utf-8")
    problems = set(re.findall(r"return '(\w+)';", custom))
    collapse = (JS / "collapse.js").read_text(encoding="utf-8")
    collapses = set(re.findall(r"(?:return|\?) '(\w+)'", collapse))
    code = "\n".join(scripts().values())
    statuses = set(re.findall(r"setStatus\('(\w+)'|emit\('status', \{ kind: '(\w+)'", code))
    statuses = {name for pair in statuses for name in pair if name}
    # the store sets some itself (a new run connects, a pause or a resume)
    store = (JS / "state.js").read_text(encoding="utf-8")
    statuses |= set(re.findall(r"\{ kind: '(\w+)' \}", store))
    menus = {
        f"choice.{field['name']}.": {str(choice) for choice in field["choices"]}
        for fields in control_fields().values()
        for field in fields
        if field["kind"] == "choice"
    }
    return {
        **menus,
        "stage.": STAGE_KINDS,
        "stageName.": STAGE_KINDS,
        "own.": problems,
        "theme.": {"dark", "light"},
        "view.": set(VIEWS),
        # compare/pair.js names the fields that differ by their controls' labels
        "field.": {field["name"] for fields in control_fields().values() for field in fields},
        # views.js names a run that ended on its own but collapsed (collapse.js) by its own word
        "status.done.": set(MESSAGES) | {"collapsed"},
        "notice.collapsed.": collapses,
        # an invalid config shows its message instead, and done its reason
        "status.": statuses - {"invalid", "done"},
    }


def test_both_languages_have_the_same_keys_and_placeholders():
    assert set(TABLES) == set(LANGUAGES)
    assert set(TABLES["zh-CN"]) == KEYS
    for key in KEYS:
        en, zh = (set(PLACEHOLDER.findall(TABLES[lang][key])) for lang in LANGUAGES)
        assert en == zh, f"{key}: placeholders {en} in English, {zh} in Chinese"
        assert TABLES["zh-CN"][key].strip(), key


def test_only_the_strings_module_holds_strings():
    for name, text in scripts().items():
        assert "STRINGS" not in text or name == "i18n.js", name
        assert "addStrings" not in text, name


@pytest.fixture(scope="module")
def page_keys(client) -> set[str]:
    """Every data-i18n* key in the rendered pages (templates expand fields and classes)."""
    keys: set[str] = set()
    for path in ("/", "/embed", "/?lang=zh-CN", "/playground", "/compare?b.width=3"):
        response = client.get(path)
        assert response.status_code == 200
        keys |= set(ATTRIBUTE.findall(response.text))
    return keys


def used_in_scripts() -> tuple[set[str], set[str]]:
    """(literals shaped like keys of a known namespace, every literal) in the scripts."""
    shaped: set[str] = set()
    literals: set[str] = set()
    for text in scripts().values():
        for match in LITERAL.finditer(text):
            literal = match.group(1) if match.group(1) is not None else match.group(2)
            literals.add(literal)
            head, dot, _ = literal.partition(".")
            if dot and head in NAMESPACES and re.fullmatch(r"[\w.]+", literal):
                shaped.add(literal)
    return shaped, literals


def test_every_key_used_is_in_the_table(page_keys):
    shaped, _ = used_in_scripts()
    assert page_keys - KEYS == set(), "the pages name strings that do not exist"
    assert shaped - KEYS == set(), "the scripts name strings that do not exist"
    written = set()
    for text in scripts().values():
        written |= {p for p in FAMILY.findall(text) if p.split(".")[0] in NAMESPACES}
    known = families()
    assert written <= set(known), f"list the names of {written - set(known)} in families()"
    for prefix in written:
        assert known[prefix], prefix
        missing = {prefix + name for name in known[prefix]} - KEYS
        assert missing == set(), f"{prefix}… has no strings for {missing}"


def test_every_key_in_the_table_is_used(page_keys):
    _, literals = used_in_scripts()
    family_keys = {prefix + name for prefix, names in families().items() for name in names}
    unused = KEYS - page_keys - literals - family_keys
    assert unused == set(), f"dead strings: {sorted(unused)}"


def test_chinese_text_uses_chinese_punctuation():
    server = [text for preset in PRESETS.values() for text in (preset.title, preset.explanation)]
    server += [text for step in LESSONS for text in (step.title, step.text)]
    chinese = list(TABLES["zh-CN"].values()) + [text["zh-CN"] for text in server]
    assert [text for text in chinese if ascii_punctuation(text)] == []
