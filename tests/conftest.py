"""Markers by where a test lives, so a developer can run a quick subset (`-m "not browser and not
slow"`); `make test` (and CI) runs them all."""

import os
import tempfile
from pathlib import Path

import pytest

# the classes tests start are kept in a directory of this run's own, never in the checkout's
os.environ.setdefault("LAYERWARP_DATA_DIR", tempfile.mkdtemp(prefix="layerwarp-data-"))

SLOW = {
    # real server processes, nginx, wheel builds: seconds to minutes each
    "test_faults.py", "test_limits.py", "test_nginx.py", "test_replays.py", "test_server.py",
    "test_timeouts.py", "test_package.py", "test_sweep.py", "test_fuzz.py",
    "test_notebook.py",  # a Jupyter kernel runs docs/notebook.ipynb
    "test_class_follow.py", "test_class_replicas.py",
}  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(item.path)
        if "browser" in path.parts:
            item.add_marker(pytest.mark.browser)
        if path.name in SLOW:
            item.add_marker(pytest.mark.slow)
