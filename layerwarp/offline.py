"""Figures inline in Jupyter with no network: plotly.js comes from the plotly package.

plotly's own default in a Jupyter kernel is the `plotly_mimetype` renderer: JupyterLab, Notebook
7 and VS Code draw it with the plotly.js their plotly extension bundles (offline, when plotly
is installed where the Jupyter server runs), but a notebook converted to HTML, viewed on
nbviewer or opened where the extension is missing shows nothing. `offline()` adds a text/html
form beside it: plotly.js inlined once per kernel (the output of the first figure shown), and
each figure as a div that draws itself with it. Unlike plotly's `notebook` renderer it asks no
CDN for MathJax, so nothing in the notebook names a network address.
"""

from typing import Any

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer
from plotly.offline import get_plotlyjs

RENDERER = "layerwarp"


class OfflineRenderer(MimetypeRenderer):
    """text/html with the plotly.js of the installed plotly package, inlined once."""

    def activate(self) -> None:
        from IPython.display import HTML, display

        script = "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
        display(HTML(f"{script}<script>{get_plotlyjs()}</script>"))

    def to_mimebundle(self, fig_dict: dict[str, Any]) -> dict[str, str]:
        html = pio.to_html(
            fig_dict,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            default_width="100%",
            default_height=fig_dict.get("layout", {}).get("height", 520),
            validate=False,
        )
        return {"text/html": html}


def offline(renderer: str = f"plotly_mimetype+{RENDERER}") -> str:
    """Make figures shown in this kernel carry everything they need to draw, offline.

    Each figure gets plotly's JSON mimetype (drawn by JupyterLab's plotly extension) and a
    text/html form using plotly.js inlined once (what nbconvert, nbviewer and classic viewers
    draw). Returns the renderer now in use; `fig.write_html(path)` needs none of this.
    """
    pio.renderers[RENDERER] = OfflineRenderer()
    pio.renderers.default = renderer
    return renderer
