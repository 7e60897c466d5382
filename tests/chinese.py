"""Chinese text uses its own punctuation (，、；：（）), not ASCII, outside formulas."""

import re

CJK = re.compile(r"[\u4e00-\u9fff]")
# [1,2], (W·a + b) and p(类别 | x) are formulas: they keep ASCII brackets and commas
MATH = re.compile(r"\[[^\]]*\]|[A-Za-zσ]\([^()]*\)|\([^()\u4e00-\u9fff]*\)")
ASCII_PUNCTUATION = re.compile(r"[,;:!?](?:\s|$)|\(")


def ascii_punctuation(text: str) -> bool:
    """True when `text` is Chinese and uses ASCII punctuation outside formulas."""
    return bool(CJK.search(text)) and bool(ASCII_PUNCTUATION.search(MATH.sub("", text)))
