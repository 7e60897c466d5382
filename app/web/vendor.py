"""plotly.js as the app ships it: two partial bundles built from plotly.js's sources by
scripts/build-plotly and committed under static/vendor.

`2d` holds plotly.js's core (scatter) with contour and image, all a 2-D run draws; `3d` holds
scatter3d and mesh3d and registers them on the 2-D bundle's Plotly, so a page fetches it only
when it first shows a 3-D view. Their URLs carry plotly.js's version, read from the banner.
"""

import re
from functools import cache
from pathlib import Path

from app.config import bundled

BUNDLES = ("2d", "3d")
SHIPPED = bundled("static")  # the static tree the package ships


def bundle_path(static_dir: Path, bundle: str) -> Path:
    return static_dir / "vendor" / f"plotly-{bundle}.min.js"


@cache
def plotly_js_version(static_dir: Path = SHIPPED) -> str:
    """plotly.js's version from the 2-D bundle's banner (`plotly.js v4.1.1`)."""
    with bundle_path(static_dir, "2d").open(encoding="utf-8") as handle:
        match = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", handle.read(400))
    if match is None:
        raise RuntimeError("static/vendor/plotly-2d.min.js names no plotly.js version")
    return match.group(1)


def bundle_url(static_dir: Path, bundle: str) -> str:
    return f"/vendor/plotly-{plotly_js_version(static_dir)}-{bundle}.min.js"


def inline_bundle(bundle: str = "2d") -> str:
    """A bundle's text for a `<script>` in a standalone file (the HTML export)."""
    return bundle_path(SHIPPED, bundle).read_text(encoding="utf-8")
