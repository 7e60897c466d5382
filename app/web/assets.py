"""Static assets under a hash, and plotly.js's bundles (app/web/vendor.py) under its version.

Every asset URL carries a version (plotly.js's own, or a hash of the static tree), so it can be
cached forever: a reload fetches the HTML and nothing else. ES modules import each other by
relative paths, so the hash lives in the path (`/assets/<hash>/js/main.js`), not a query.
Scripts and styles are gzipped once in memory (plotly.js's 2-D bundle: 1.2 MB raw, 400 KB gzipped).
"""

import gzip
import hashlib
import mimetypes
import time
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from app.config import Settings, SettingsDep
from app.web.modulegraph import module_graph
from app.web.vendor import BUNDLES, bundle_path, plotly_js_version

router = APIRouter()

IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".html"}


@cache
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


@cache
def _asset_version(static_dir: Path, stamp: tuple[tuple[str, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _ in stamp:
        digest.update(name.encode())
        digest.update((static_dir / name).read_bytes())
    return digest.hexdigest()[:12]


RECHECK_S = 1.0  # an edited asset gets its new hash within a second
_versions: dict[Path, tuple[float, str]] = {}  # static dir -> (when looked, its version)


def asset_version(static_dir: Path) -> str:
    """A hash of the static tree's contents; recomputed only when a file's mtime changes, and
    the tree looked at once a second at most: every asset request asks (a page load makes fifty),
    and listing and stat-ing the tree costs about a millisecond."""
    now = time.monotonic()
    seen = _versions.get(static_dir)
    if seen is not None and now - seen[0] < RECHECK_S:
        return seen[1]
    files = sorted(p for p in static_dir.rglob("*") if p.is_file())
    stamp = tuple((str(p.relative_to(static_dir)), p.stat().st_mtime_ns) for p in files)
    version = _asset_version(static_dir, stamp)
    _versions[static_dir] = (now, version)
    return version


def _file_response(request: Request, path: Path, cache_control: str) -> Response:
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or path.suffix == ".js":
        media_type = ("text/javascript" if path.suffix == ".js" else media_type) + "; charset=utf-8"
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    accepts_gzip = "gzip" in request.headers.get("accept-encoding", "")
    if path.suffix in COMPRESSIBLE and accepts_gzip:
        body = _gzipped(path, path.stat().st_mtime_ns)
        headers["Content-Encoding"] = "gzip"
    else:
        body = path.read_bytes()
    return Response(body, media_type=media_type, headers=headers)


def warm(settings: Settings) -> None:
    """Compress every asset and list the module graphs now, not on the first visitor's time.

    Run in a thread at start-up: gzipping plotly.js's bundles alone takes a tenth of a second.
    """
    version = asset_version(settings.static_dir)
    for entry in ("main.js", "embed.js", "playground.js", "compare.js"):
        module_graph(settings.static_dir / "js", entry, version)
    for path in sorted(settings.static_dir.rglob("*")):
        if path.is_file() and path.suffix in COMPRESSIBLE:
            _gzipped(path, path.stat().st_mtime_ns)


@router.get("/vendor/plotly-{version}-{bundle}.min.js", include_in_schema=False)
def plotly_bundle(version: str, bundle: str, request: Request, settings: SettingsDep) -> Response:
    """One of plotly.js's bundles (2d, 3d), cached forever under its plotly.js version."""
    have = plotly_js_version(settings.static_dir)
    if version != have or bundle not in BUNDLES:
        raise HTTPException(404, f"this server has plotly.js {have}, bundles {', '.join(BUNDLES)}")
    return _file_response(request, bundle_path(settings.static_dir, bundle), IMMUTABLE)


@router.get("/assets/{version}/{path:path}", include_in_schema=False)
async def asset(version: str, path: str, request: Request, settings: SettingsDep) -> Response:
    root = settings.static_dir.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise HTTPException(404, "no such asset")
    # an old hash still gets the file, but must not pin today's bytes under it forever
    current = version == asset_version(settings.static_dir)
    return _file_response(request, target, IMMUTABLE if current else "no-cache")
