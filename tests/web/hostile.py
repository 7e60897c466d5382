"""A corpus of hostile inputs: markup and script, numbers that are not numbers, odd Unicode,
very long strings. Shared by tests/web/test_hostile.py and bench/fuzz.py."""

from urllib.parse import quote

from app.config import Settings
from app.schemas import FIELD_NAMES

TOO_LONG = Settings().max_url_bytes + 1

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(document.domain)</script>",
    "<iframe src=javascript:alert(1)>",
    "javascript:alert(1)",
    "<!--<script>",
    "]]><x>",
    "{{7*7}}${7*7}<%= 7*7 %>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
]
NUMBERS = [
    "NaN", "nan", "inf", "-inf", "Infinity", "-Infinity", "1e308", "-1e308", "1e309",
    "1e-400", "99999999999999999999999999", "-1", "0x10", "1_000", "", "١٢", "１２", "1e3e3",
]  # fmt: skip
UNICODE = [
    "\u202espiral2",  # right-to-left override
    "spi\u200bral2",  # zero-width space
    "\ufefftanh",  # byte-order mark
    "tanh\u0301",  # combining accent
    "𝕤𝕡𝕚𝕣𝕒𝕝𝟚",  # mathematical letters
    "🧠",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "\u2028<p>",  # line separator
    "الشبكة",
]
# Raw percent-escapes that decode to no valid text: lone surrogates and broken UTF-8.
RAW = ["%ED%A0%80", "%ED%B0%80", "%C0%AF", "%FF%FE", "%E2%80"]
LONG = ["9" * 1000, "<script>" * 300]

VALUES = MARKUP + NUMBERS + UNICODE + LONG
# Each endpoint with the parameters it knows (every value of these must be refused with a 4xx).
CONFIG_PARAMETERS = ["preset", *(n for n in FIELD_NAMES if n != "data")]
ENDPOINTS = {
    "/api/stream": [*CONFIG_PARAMETERS, "every", "rate", "after"],
    "/api/snapshot": [*CONFIG_PARAMETERS, "step"],
    "/api/config": CONFIG_PARAMETERS,
    "/api/export/animation": [*CONFIG_PARAMETERS, "step"],
    "/api/export/run": [*CONFIG_PARAMETERS, "every"],
    "/": CONFIG_PARAMETERS,
    "/embed": CONFIG_PARAMETERS,
}
# Endpoints without parameters: a hostile query string is ignored, but an over-long one is 414.
PLAIN_ENDPOINTS = ["/healthz", "/api/version", "/api/presets", "/api/lessons", "/openapi.json"]
PAGES = {"/", "/embed"}


def encode(value: str) -> str:
    return quote(value, safe="")


def cases(full: bool = False) -> list[tuple[str, str]]:
    """(path, query string) pairs, each with one hostile value in one known parameter.

    The full product has every value in every parameter of every endpoint; the short one gives
    each (endpoint, value) pair one parameter, rotating, so every parameter still sees values.
    """
    out = []
    for path, parameters in ENDPOINTS.items():
        raw_values = [encode(v) for v in VALUES] + RAW
        for index, value in enumerate(raw_values):
            chosen = parameters if full else [parameters[index % len(parameters)]]
            for name in chosen:
                out.append((path, f"{name}={value}"))
        # custom points are checked only with dataset=custom
        for value in raw_values if full else raw_values[::4]:
            out.append((path, f"dataset=custom&data={value}"))
    for path in [*ENDPOINTS, *PLAIN_ENDPOINTS]:
        out.append((path, "seed=1&" + "x" * TOO_LONG))
        out.append((path, "q=" + encode("<script>alert(1)</script>" * (TOO_LONG // 20))))
    return out


def header_cases() -> list[str]:
    """Hostile Last-Event-ID headers (only what HTTP can carry: latin-1, no line breaks)."""
    return [
        v
        for v in [*MARKUP, *NUMBERS, "1" * 7000, "100000", "-0.5"]
        if v and v.isprintable() and all(ord(c) < 256 for c in v) and v.strip() == v
    ]


def reflected(value: str, body: str) -> bool:
    """Whether a value carrying markup comes back unescaped in an HTML body."""
    return any(c in value for c in "<>\"'") and value in body
