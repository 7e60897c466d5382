"""Finished exports on disk, bounded by LAYERWARP_EXPORT_CACHE_MB: served from there in chunks.

An animation is ~20 MB of HTML. Held in memory per client, 120 clients that do not read cost
gigabytes; written once to a file, every client streams the same file at its own pace and the
server holds a chunk per connection. Files are named by a hash of what they contain (config,
step, kind), so an identical request is served without computing again. Beyond the budget the
least recently used files go; one being sent is unlinked but stays readable until it is closed.

Each file is gzipped once, beside it (`<key>.gz`), when it is published: a client that accepts
gzip is sent those bytes as they are, so a hundred downloads of one animation cost one
compression, not a hundred.
"""

import contextlib
import gzip
import hashlib
import os
import tempfile
from pathlib import Path


class Spool:
    def __init__(self, max_bytes: float, directory: Path | None = None) -> None:
        self.max_bytes = max_bytes
        self._temporary = None if directory else tempfile.TemporaryDirectory(prefix="layerwarp-")
        self.directory = directory or Path(self._temporary.name)
        self.directory.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(*parts: object) -> str:
        return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]

    def path(self, key: str) -> Path:
        return self.directory / key

    def gzipped(self, key: str) -> Path:
        return self.directory / f"{key}.gz"

    def ready(self, key: str) -> Path | None:
        """The finished file for `key`, marked as just used, or None."""
        path = self.path(key)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        # the gzipped twin may be trimmed alone or not written yet: then served plain
        with contextlib.suppress(FileNotFoundError):
            os.utime(self.gzipped(key))
        return path

    def compress(self, key: str) -> Path | None:
        """Write `<key>.gz` from the finished file (blocking: call it off the event loop)."""
        scratch = self.scratch(key)
        try:
            with self.path(key).open("rb") as source, gzip.open(scratch, "wb", 6) as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
        except FileNotFoundError:  # trimmed meanwhile
            self.discard(scratch)
            return None
        path = self.gzipped(key)
        scratch.replace(path)
        self.trim(keep=path)
        return path

    def scratch(self, key: str) -> Path:
        """A file to write `key` into; `publish` it when complete."""
        return self.directory / f".{key}.{os.urandom(4).hex()}.part"

    def publish(self, scratch: Path, key: str) -> Path:
        path = self.path(key)
        scratch.replace(path)
        self.trim(keep=path)
        return path

    def discard(self, scratch: Path) -> None:
        scratch.unlink(missing_ok=True)

    def used_bytes(self) -> int:
        return sum(entry.stat().st_size for entry in self.directory.iterdir())

    def trim(self, keep: Path | None = None) -> None:
        """Remove the least recently used finished files until the spool fits its budget."""
        entries = []
        for entry in self.directory.iterdir():
            try:
                info = entry.stat()
            except FileNotFoundError:
                continue
            entries.append((info.st_mtime, info.st_size, entry))
        total = sum(size for _, size, _ in entries)
        for _, size, entry in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                return
            if entry == keep or entry.name.startswith("."):
                continue
            entry.unlink(missing_ok=True)
            total -= size

    def close(self) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()
