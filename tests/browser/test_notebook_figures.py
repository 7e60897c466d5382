"""The notebook API's figures draw in a browser with no network: as a notebook viewer shows a
kernel's outputs after `lw.offline()` (nbconvert, nbviewer: the text/html forms in order), and
as `fig.write_html` writes them for a script."""

import os
from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import layerwarp as lw
from tests.browser.offline import assert_plays_offline
from tests.support import ROOT

CELLS = [
    "import layerwarp as lw\nlw.offline()",
    "run = lw.Run(preset='spiral2', layers=3, steps=60).train()",
    "run.animation()",
    "run.figure(stage='2.b')",
    "run.compare(lw.Run(preset='spiral2', layers=3, steps=60, width=3))",
]


def kernel_outputs_as_a_page(folder: Path) -> Path:
    """Run CELLS in a kernel and write each output's text/html, in order, into one page."""
    notebook = new_notebook(cells=[new_code_cell(source) for source in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    client = NotebookClient(notebook, timeout=600, kernel_name="python3")
    client.execute(env={**os.environ, "PYTHONPATH": str(ROOT)})
    parts = [
        output["data"]["text/html"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    page = folder / "notebook.html"
    body = "\n".join(f"<div class='output'>{part}</div>" for part in parts)
    page.write_text(f"<!doctype html><meta charset='utf-8'><body>{body}</body>", encoding="utf-8")
    return page


def test_a_kernels_figures_draw_and_play_offline(browser, tmp_path: Path) -> None:
    page = kernel_outputs_as_a_page(tmp_path)
    assert_plays_offline(browser, page)  # the first figure is the animation
    context = browser.new_context(offline=True, viewport={"width": 1000, "height": 800})
    viewer = context.new_page()
    viewer.goto(page.as_uri())
    viewer.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length === 3"
        " && [...document.querySelectorAll('.js-plotly-plot')]"
        "      .every((el) => el.querySelector('.main-svg'))",
        timeout=30000,
    )
    # the 3-D side of the comparison is a WebGL scene, drawn too
    assert viewer.evaluate("() => document.querySelectorAll('.gl-container canvas').length") >= 1
    context.close()


def test_a_script_writes_a_page_that_plays_offline(browser, tmp_path: Path) -> None:
    saved = tmp_path / "warp.html"
    lw.Run(preset="spiral2", layers=2, steps=40).train().animation().write_html(saved)
    assert_plays_offline(browser, saved)
