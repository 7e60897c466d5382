"""The numbers and colours the page shares with the server, written once here (or in the module
that owns them) and handed to the page as JSON in every template, so nothing is copied by hand."""

from typing import Any

from app.config import Settings
from app.engine.activations import ACTIVATIONS, LEAKY_SLOPE
from app.engine.custom_data import LIMIT, MAX_POINTS, RECORD, SCALE
from app.engine.stages import TWEEN_KINDS
from app.engine.tweens import ROTATE_FRAMES, STRETCH_FRAMES
from app.engine.warp import (
    COLLAPSE_RATIO,
    DATA_EXTENT,
    FIELD_SIZE,
    GRID_LINES,
    GRID_SAMPLES,
    POSITION_LIMIT,
)
from app.look import CLASS_COLOURS, look_constants
from app.schemas import TrainConfig
from app.web.params import DEFAULT_EVERY, DEFAULT_RATE, SPEEDS, _bounds
from app.web.playground import WEIGHT_LIMIT

__all__ = ["CLASS_COLOURS", "page_constants"]  # CLASS_COLOURS lives in app/look.py


def page_constants(settings: Settings) -> dict[str, Any]:
    """What static/js/constants.js exports."""
    from app.export.jobs import RUN_FORMAT, RUN_VERSION  # the export's animation imports ours

    return {
        **look_constants(),
        "grid": {"lines": GRID_LINES, "samples": GRID_SAMPLES},
        "speeds": list(SPEEDS),
        "lrMinimum": _bounds(TrainConfig.model_fields["lr"])[0],
        "runFile": {"format": RUN_FORMAT, "versions": [RUN_VERSION]},
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
        "maths": {  # static/js/maths.js: the engine's numbers its forward pass and tweens need
            "activations": list(ACTIVATIONS),
            "leakySlope": LEAKY_SLOPE,
            "collapseRatio": COLLAPSE_RATIO,
            "positionLimit": POSITION_LIMIT,
            "stretchFrames": STRETCH_FRAMES,
            "rotateFrames": ROTATE_FRAMES,
            "latticeSize": FIELD_SIZE,
            "tweenKinds": list(TWEEN_KINDS),
        },
    }
