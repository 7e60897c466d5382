"""Every ES module an entry module imports, so the page can preload them all at once.

Without this the browser discovers the graph one level at a time (main.js, then its imports,
then theirs): four round trips before the entry can run and open the stream. Listed as
`<link rel="modulepreload">`, the whole graph is requested in parallel with the HTML's first
parse. Imports are found by a plain scan of `from './x.js'` / `import './x.js'`: the front end
only ever imports relative paths with string literals.
"""

import re
from functools import cache
from pathlib import Path

IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*['"](\.{1,2}/[^'"]+\.js)['"]""")


@cache
def module_graph(js_dir: Path, entry: str, version: str) -> tuple[str, ...]:
    """`entry` first, then each module it reaches, breadth first; cached per asset version."""
    root = js_dir.resolve()
    seen: list[str] = []
    pending = [entry]
    while pending:
        name = pending.pop(0)
        path = root / name
        if name in seen or not path.is_file():
            continue
        seen.append(name)
        for found in IMPORT.findall(path.read_text(encoding="utf-8")):
            target = (path.parent / found).resolve()
            if target.is_relative_to(root):
                pending.append(target.relative_to(root).as_posix())
    return tuple(seen)
