"""A progress bar on stderr for the CLI's long replays (an export of a 20,000-step run takes half
a minute). It draws only on a terminal and only once the work has outlasted DELAY_S, so quick
commands, pipes and logs stay quiet."""

import sys
import time
from types import TracebackType
from typing import TextIO

DELAY_S = 1.0  # work shorter than this shows no bar
REDRAW_S = 0.1
WIDTH = 30


class ProgressBar:
    """Call it with each step done (it is a jobs.Progress); use it as a context manager."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.started = time.monotonic()
        self.drawn_at: float | None = None
        self.done = 0
        self.note = ""

    def __call__(self, done: int, note: str = "") -> None:
        self.done, self.note = done, note
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < DELAY_S:
            return
        if self.drawn_at is not None and now - self.drawn_at < REDRAW_S:
            return
        self._draw()
        self.drawn_at = now

    def _draw(self) -> None:
        filled = int(WIDTH * min(self.done, self.total) / self.total)
        bar = "#" * filled + "." * (WIDTH - filled)
        note = f" {self.note}" if self.note else ""
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}{note}")
        self.stream.flush()

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Leave the bar at where the work ended, and the cursor on a fresh line."""
        if self.drawn_at is not None:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
