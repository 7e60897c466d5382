"""Points a user made, carried in the URL: compact, validated, and never stored on the server.

Wire form (the `data` parameter): base64url without padding of little-endian records, one per
point: int16 x, int16 y, uint8 label, with x = int16 / 10000 (so coordinates in ±3.2767, to
0.0001). The page writes the same form (static/js/custom-data.js).
"""

import base64
import binascii

import numpy as np

Array = np.ndarray

SCALE = 10000.0
LIMIT = 3.2767
RECORD = np.dtype([("x", "<i2"), ("y", "<i2"), ("label", "u1")])
MAX_POINTS = 500  # ≈ 3.3 KB in the URL
MAX_CLASSES = 3


class CustomDataError(ValueError):
    """A message meant for the user: what is wrong and where."""


def encode_points(X: Array, y: Array) -> str:
    records = np.empty(len(y), dtype=RECORD)
    records["x"] = np.rint(np.clip(X[:, 0], -LIMIT, LIMIT) * SCALE)
    records["y"] = np.rint(np.clip(X[:, 1], -LIMIT, LIMIT) * SCALE)
    records["label"] = y
    return base64.urlsafe_b64encode(records.tobytes()).decode("ascii").rstrip("=")


def decode_points(text: str) -> tuple[Array, Array]:
    """(X (n, 2), y (n,)) from the wire form; raises CustomDataError with a readable reason."""
    if len(text) > (MAX_POINTS * RECORD.itemsize * 4) // 3 + 4:
        raise CustomDataError(f"too many points: at most {MAX_POINTS}")
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise CustomDataError("not valid base64url") from None
    if len(raw) % RECORD.itemsize:
        raise CustomDataError(f"length is not a whole number of {RECORD.itemsize}-byte points")
    records = np.frombuffer(raw, dtype=RECORD)
    return _checked(
        np.column_stack([records["x"], records["y"]]).astype(float) / SCALE,
        records["label"].astype(int),
    )


def _checked(X: Array, y: Array) -> tuple[Array, Array]:
    if len(y) > MAX_POINTS:
        raise CustomDataError(f"too many points: {len(y)} (at most {MAX_POINTS})")
    if len(y) and y.max() >= MAX_CLASSES:
        raise CustomDataError(f"labels must be 0, 1 or 2 (found {int(y.max())})")
    counts = np.bincount(y, minlength=2)
    if (counts[:2] < 2).any():
        raise CustomDataError("need at least 2 points of class 0 and of class 1")
    if len(counts) == 3 and counts[2] == 1:
        raise CustomDataError("class 2 needs at least 2 points (or none)")
    return X, y


def parse_csv(text: str) -> tuple[Array, Array]:
    """Rows `x,y,label` (an optional header line is skipped). Every bad row is named by line.
    A leading byte-order mark is dropped: spreadsheets write one in "CSV UTF-8"."""
    text = text.removeprefix("\ufeff")
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        cells = [c.strip() for c in stripped.split(",")]
        if number == 1 and cells[:2] == ["x", "y"]:
            continue
        if len(cells) != 3:
            problems.append(f"line {number}: expected x,y,label")
            continue
        try:
            x, y, label = float(cells[0]), float(cells[1]), int(cells[2])
        except ValueError:
            problems.append(f"line {number}: x and y must be numbers, label an integer")
            continue
        if not (np.isfinite(x) and np.isfinite(y)) or abs(x) > LIMIT or abs(y) > LIMIT:
            problems.append(f"line {number}: x and y must lie within ±{LIMIT}")
        elif label not in range(MAX_CLASSES):
            problems.append(f"line {number}: label must be 0, 1 or 2")
        else:
            rows.append((x, y, label))
    if problems:
        raise CustomDataError("; ".join(problems[:20]))
    if not rows:
        raise CustomDataError("no points")
    table = np.array(rows)
    return _checked(table[:, :2], table[:, 2].astype(int))
