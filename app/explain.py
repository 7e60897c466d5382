"""What is wrong with a config, in one line per fault: the CLI prints these lines and the
notebook API (layerwarp) raises them, so a typo reads the same in a terminal and in a notebook."""

import difflib
from collections.abc import Iterable

from pydantic import ValidationError


def describe_errors(error: ValidationError) -> str:
    """One line per bad field: its name, what was given, and what is allowed."""
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "config"
        lines.append(f"{field}: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)


def nearest(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to a mistyped one, or None when nothing is close."""
    near = difflib.get_close_matches(word, list(known), n=1)
    return near[0] if near else None


def step_problem(step: int, steps: int) -> str | None:
    """What is wrong with asking for step `step` of a run of `steps`, as the API says it."""
    if 0 <= step <= steps:
        return None
    return f"step: must be between 0 and steps ({steps}) (got {step})"
