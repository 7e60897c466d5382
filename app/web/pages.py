"""The pages: `/`, `/playground`, `/compare` and `/embed` from Jinja2, each with the URLs of
the assets it needs (app/web/assets.py serves them) and the modules it preloads."""

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from app.config import Settings, SettingsDep
from app.engine.activations import ACTIVATIONS
from app.lessons import LESSONS
from app.presets import PRESETS
from app.schemas import TrainConfig
from app.web.assets import asset_version
from app.web.compare import differences, read_compare_query
from app.web.constants import page_constants
from app.web.modulegraph import module_graph
from app.web.params import read_page_query
from app.web.playground import read_playground
from app.web.vendor import bundle_url

router = APIRouter()

LANGUAGES = ("en", "zh-CN")

# Which control group each config field belongs to, in the order the page shows them.
FIELD_GROUPS = {
    "data": ["dataset", "points", "noise", "turns", "label_noise", "test_fraction", "seed"],
    "network": ["layers", "width", "activation", "residual", "init"],
    "training": ["optimizer", "lr", "schedule", "batch_size", "l2", "steps"],
}


def control_fields() -> dict[str, list[dict[str, Any]]]:
    """Each config field as the page's control needs it: kind, range or choices, default."""
    properties = TrainConfig.model_json_schema()["properties"]
    groups: dict[str, list[dict[str, Any]]] = {}
    for group, names in FIELD_GROUPS.items():
        groups[group] = []
        for name in names:
            prop = properties[name]
            if "enum" in prop:
                kind = "choice"
            elif prop["type"] == "boolean":
                kind = "flag"
            else:
                kind = prop["type"]  # "integer" or "number"
            groups[group].append(
                {
                    "name": name,
                    "kind": kind,
                    "choices": prop.get("enum", []),
                    "min": prop.get("minimum"),
                    "max": prop.get("maximum"),
                    "default": prop["default"],
                }
            )
    return groups


@cache
def _templates(directory: Path) -> Jinja2Templates:
    return Jinja2Templates(directory=directory)


PAGE_THEMES = ("light", "dark")


def page_language(request: Request) -> str:
    """?lang= if known, else the best of Accept-Language, else English (as i18n.js picks)."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    weighted = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        weighted.append((-weight, position, tag.strip().lower()))
    for _, _, tag in sorted(weighted):
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return "en"


def imported_later(settings: Settings, entry: str, version: str, root: str) -> list[str]:
    """The modules of `root`'s graph the entry's lacks: the entry imports `root` only when the
    page needs it (the 3-D renderer with the 3-D bundle, the class's modules for a class), so a
    page that knows it will, preloads them."""
    js = settings.static_dir / "js"
    have = set(module_graph(js, entry, version))
    return [name for name in module_graph(js, root, version) if name not in have]


def _page(
    request: Request,
    settings: Settings,
    template: str,
    entry: str = "main.js",
    errors: list[dict[str, Any]] | None = None,
    **context: Any,
) -> Response:
    """A page with its language and theme set before any script runs, so neither flashes.

    A bad config in the URL still gets the page, with a 422: the page names the bad fields
    (`errors`, else those of the URL's TrainConfig fields). The scripts get the config the URL
    states as the API resolves it (`preset=` first, then the fields), so a typed URL runs
    exactly what /api/config says, and the presets.
    """
    query = request.query_params
    config, config_errors = read_page_query(query)
    errors = config_errors if errors is None else errors
    page_state = {
        "config": config.model_dump() if config else None,
        "presets": [preset.public() for preset in PRESETS.values()],
    }
    version = asset_version(settings.static_dir)
    response = _templates(settings.templates_dir).TemplateResponse(
        request,
        template,
        {
            # an unknown preset is named by the page's script, in the page's language
            "query_errors": [e for e in errors if e["loc"][-1] != "preset"],
            "page_state": page_state,
            "lang": page_language(request),
            "theme": query.get("theme") if query.get("theme") in PAGE_THEMES else None,
            "plotly_url": bundle_url(settings.static_dir, "2d"),
            "plotly_3d_url": bundle_url(settings.static_dir, "3d"),
            # a page opened on a 3-D run shows a 3-D view first: its bundle downloads at once
            "plotly_3d_first": bool(config and config.width == 3 and config.layers > 0),
            "assets": f"/assets/{version}",
            "entry": entry,
            "modules": module_graph(settings.static_dir / "js", entry, version),
            "modules_3d": imported_later(settings, entry, version, "render/warp3d.js"),
            # a page opened on a class leads or follows it at once
            "modules_later": imported_later(settings, entry, version, "classroom/classroom.js")
            if entry == "main.js" and query.get("class")
            else [],
            "groups": control_fields(),
            "constants": page_constants(settings),
            **context,
        },
        status_code=422 if errors else 200,
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request, settings: SettingsDep) -> Response:
    present = request.query_params.get("present") in ("1", "true")
    return _page(request, settings, "index.html", present=present)


@router.get("/playground", response_class=HTMLResponse, include_in_schema=False)
def playground(request: Request, settings: SettingsDep) -> Response:
    """One 2×2 layer under the student's hands; the URL is its state (app/web/playground.py)."""
    state, errors = read_playground(request.query_params)
    present = request.query_params.get("present") in ("1", "true")
    return _page(
        request,
        settings,
        "playground.html",
        entry="playground.js",
        errors=errors,
        present=present,
        layer=state.as_page(),
        activations=list(ACTIVATIONS),
        plotly_url=None,  # the playground draws SVG itself: no plotly.js to fetch
    )


def _compare(request: Request, settings: Settings, embed: bool) -> Response:
    """Runs A and B side by side (app/web/compare.py); a bad field of either is a 422 page."""
    a, b, errors = read_compare_query(request.query_params)
    pair = {"b": b.model_dump(), "differences": differences(a, b)} if a and b else None
    present = request.query_params.get("present") in ("1", "true")
    return _page(
        request,
        settings,
        "compare.html",
        entry="compare.js",
        errors=errors,
        present=present,
        compare=pair,
        embed=embed,
        plotly_3d_first=any(side and side.width == 3 and side.layers > 0 for side in (a, b)),
    )


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare(request: Request, settings: SettingsDep) -> Response:
    return _compare(request, settings, embed=False)


EMBED_CONTROLS = ("minimal", "none")


@router.get("/embed", response_class=HTMLResponse, include_in_schema=False)
def embed(request: Request, settings: SettingsDep) -> Response:
    """The warp view alone, for an iframe: no page chrome, driven by postMessage (README);
    with `compare=1`, two runs side by side (as /compare)."""
    query = request.query_params
    steps = {step.id: step for step in LESSONS}
    if query.get("lesson") in steps:  # the step's run, at a URL that states it (the URL wins)
        step = steps[query["lesson"]]
        stated = step.url_query() | ({"compare": "1"} if step.compare else {})
        rest = [(name, value) for name, value in query.multi_items() if name != "lesson"]
        location = "/embed?" + urlencode([*stated.items(), *rest])
        return RedirectResponse(location, status_code=307)
    if query.get("compare") in ("1", "true"):
        return _compare(request, settings, embed=True)
    controls = query.get("controls")
    unknown = "lesson" in query  # named, as the page names it, and the rest of the URL runs
    return _page(
        request,
        settings,
        "embed.html",
        entry="embed.js",
        errors=[lesson_error(query["lesson"], list(steps))] if unknown else None,
        controls=controls if controls in EMBED_CONTROLS else "minimal",
    )


def lesson_error(given: str, ids: list[str]) -> dict[str, Any]:
    """An unknown `lesson=` said as the API says a bad field: its name and what it allows."""
    message = f"lesson must be one of {', '.join(ids)} (got {given!r})"
    return {"loc": ["query", "lesson"], "msg": message, "type": "enum", "allowed": ids}
