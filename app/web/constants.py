"""The numbers and colours the page shares with the server, written once here (or in the module
that owns them) and handed to the page as JSON in every template, so nothing is copied by hand."""

from typing import Any

from app.config import Settings
from app.engine.custom_data import LIMIT, MAX_POINTS, RECORD, SCALE
from app.engine.warp import DATA_EXTENT
from app.web.params import DEFAULT_EVERY, DEFAULT_RATE
from app.web.playground import WEIGHT_LIMIT

CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73")
"""Okabe–Ito blue, orange and green: told apart with any common colour-vision deficiency."""


def page_constants(settings: Settings) -> dict[str, Any]:
    """What static/js/constants.js exports."""
    return {
        "classColours": list(CLASS_COLOURS),
        "dataExtent": DATA_EXTENT,
        "customData": {
            "scale": SCALE,
            "limit": LIMIT,
            "maxPoints": MAX_POINTS,
            "recordBytes": RECORD.itemsize,
        },
        "csvMaxBytes": settings.max_body_bytes,
        "defaultEvery": DEFAULT_EVERY,
        "defaultRate": DEFAULT_RATE,
        "playgroundWeightLimit": WEIGHT_LIMIT,
    }
