"""How a warp view looks — class colours and marker shapes, each theme's plot colours, marker
sizes — written once: the page gets it as JSON (app/web/constants.py → static/js/render/style.js)
and the notebook API (layerwarp) draws its figures with it, so the two cannot drift apart."""

from typing import Any

CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73")
"""Okabe–Ito blue, orange and green: told apart with any common colour-vision deficiency."""

CLASS_SYMBOLS = ("circle", "square", "diamond")
"""One marker shape per class (filled for training points, `-open` for test points): the class
still reads in grey print. scatter3d knows these three too."""

THEMES: dict[str, dict[str, Any]] = {
    "light": {
        "ink": "#1d1f24",
        "muted": "#5b6270",
        "plot": "#fbfbfd",
        "grid": "rgba(90, 100, 120, 0.45)",
        "boundary": "#CC3311",
        "marks": "#222222",
        "fieldBase": [255, 255, 255],
        "edge": "white",
    },
    "dark": {
        "ink": "#e8eaef",
        "muted": "#b4bac6",
        "plot": "#1b1e25",
        "grid": "rgba(170, 180, 200, 0.42)",
        "boundary": "#FF7A59",
        "marks": "#f2f2f2",
        "fieldBase": [27, 30, 37],
        "edge": "#1b1e25",
    },
}
"""Plot colours per theme: text, muted text, plot background, grid lines, the readout's class
boundaries, marks (a traced point), the probability field's base and a training marker's edge."""

MARKERS: dict[str, float] = {
    "size": 7,  # a point in the 2-D view, px
    "size3d": 3.5,  # a point in the 3-D view (scatter3d draws markers larger)
    "trainEdge": 0.6,  # a filled training marker's edge, in the theme's `edge` colour
    "testEdge": 1.4,  # an open test marker's outline, in the class colour
}

LINES: dict[str, float] = {
    "grid": 1,  # the warped grid in 2-D, px
    "grid3d": 2,
    "boundary": 2.5,  # the readout's class boundaries, dashed
}

FONT_FAMILY = 'system-ui, "Noto Sans SC", sans-serif'


def look_constants() -> dict[str, Any]:
    """The part of the page's constants that says how plots look."""
    return {
        "classColours": list(CLASS_COLOURS),
        "classSymbols": list(CLASS_SYMBOLS),
        "themes": THEMES,
        "markers": MARKERS,
        "lines": LINES,
        "fontFamily": FONT_FAMILY,
    }
