"""Finished exports on disk, bounded by LAYERWARP_EXPORT_CACHE_MB: served from there in chunks.

An animation is ~20 MB of HTML. Held in memory per client, 120 clients that do not read cost
gigabytes; written once to a file, every client streams the same file at its own pace and the
server holds a chunk per connection. Files are named by a hash of what they contain (config,
step, kind), so an identical request is served without computing again.

The budget counts every byte in the directory, scratch files included. Beyond it the least
recently used finished files go, but never one a response is reading (a lease per key): a file
trimmed between the handler's choice and the response's open was a 500. Scratch files belong
to the request writing them, which removes or publishes them on every path.

Each process spools into a directory of its own, named by its pid and start time, under one
base directory: a process killed with SIGKILL cannot clean up, so the next one to start removes
every directory whose process is gone.

Each file is gzipped once, beside it (`<key>.gz`), deterministically (no name, mtime 0): two
replicas serve the same bytes under the same strong ETag.
"""

import contextlib
import errno
import gzip
import hashlib
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

FAILURE_MEMORY_S = 60.0  # /healthz says `degraded` this long after a disk failure


def process_tag(pid: int) -> str | None:
    """`<pid>-<start time>` of a live process (the start time tells a reused pid apart), or
    None when no such process runs."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return f"{pid}-{stat.rsplit(')', 1)[1].split()[19]}"
    except FileNotFoundError:
        return None
    except (OSError, IndexError):  # no /proc: the pid alone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return f"{pid}-0"


def default_base() -> Path:
    return Path(tempfile.gettempdir()) / f"layerwarp-spool-{os.getuid()}"


def remove_orphans(base: Path) -> None:
    """Remove the spool directories of processes that are gone (killed without cleaning up)."""
    with contextlib.suppress(FileNotFoundError):
        for entry in base.iterdir():
            pid = entry.name.split("-", 1)[0]
            if not pid.isdigit() or process_tag(int(pid)) != entry.name:
                shutil.rmtree(entry, ignore_errors=True)


class SpoolFailed(Exception):
    """The disk refused a write (full, read-only, over a quota): the export cannot be made."""


class Spool:
    def __init__(self, max_bytes: float, base: Path | None = None) -> None:
        self.max_bytes = max_bytes
        self.base = base or default_base()
        self.directory = self.base / (process_tag(os.getpid()) or f"{os.getpid()}-0")
        self.leases: Counter[str] = Counter()  # key -> responses reading its files
        self.failure: tuple[float, str] | None = None  # (when, why) of the last disk failure
        try:
            self.base.mkdir(mode=0o700, parents=True, exist_ok=True)
            remove_orphans(self.base)
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir(mode=0o700)
        except OSError as error:
            self.failed(error)

    @staticmethod
    def key(*parts: object) -> str:
        return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]

    def path(self, key: str) -> Path:
        return self.directory / key

    def gzipped(self, key: str) -> Path:
        return self.directory / f"{key}.gz"

    # -- health ----------------------------------------------------------------------------------
    def failed(self, error: OSError) -> SpoolFailed:
        """Note a disk failure (for /healthz) and make the exception that answers 503."""
        reason = os.strerror(error.errno) if error.errno else type(error).__name__
        self.failure = (time.monotonic(), reason)
        return SpoolFailed(reason)

    def problem(self) -> str | None:
        """Why exports fail now (a disk failure within FAILURE_MEMORY_S), or None."""
        if self.failure is None or time.monotonic() - self.failure[0] > FAILURE_MEMORY_S:
            return None
        return f"the export spool's disk failed: {self.failure[1]}"

    # -- leases ------------------------------------------------------------------------------------
    def lease(self, key: str) -> None:
        """A response will read `key`'s files: trimming leaves them until `release`."""
        self.leases[key] += 1

    def release(self, key: str) -> None:
        self.leases[key] -= 1
        if self.leases[key] <= 0:
            del self.leases[key]
            self.trim()  # a file kept only for its readers may be over the budget

    def ready(self, key: str) -> Path | None:
        """The finished file for `key`, marked as just used and leased, or None."""
        path = self.path(key)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        # the gzipped twin may be trimmed alone or not written yet: then served plain
        with contextlib.suppress(FileNotFoundError):
            os.utime(self.gzipped(key))
        self.lease(key)
        return path

    # -- writing -----------------------------------------------------------------------------------
    def scratch(self, key: str) -> Path:
        """A file to write `key` into; its writer must `publish` or `discard` it."""
        return self.directory / f".{key}.{os.urandom(4).hex()}.part"

    def publish(self, scratch: Path, key: str) -> Path:
        """Move a complete scratch file into place, leased to the caller."""
        path = self.path(key)
        self.lease(key)
        try:
            scratch.replace(path)
        except OSError as error:
            self.release(key)
            self.discard(scratch)
            raise self.failed(error) from error
        self.failure = None  # the disk works again
        self.trim()
        return path

    def discard(self, scratch: Path) -> None:
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)

    def compress(self, key: str) -> Path | None:
        """Write `<key>.gz` from the finished file, deterministically (blocking: call it off the
        event loop; then `trim` on it). None if the disk refused: the plain file still serves."""
        scratch = self.scratch(key)
        try:
            with (
                self.path(key).open("rb") as source,
                scratch.open("wb") as raw,
                gzip.GzipFile("", "wb", 6, raw, mtime=0) as target,
            ):
                while chunk := source.read(1 << 20):
                    target.write(chunk)
            path = self.gzipped(key)
            scratch.replace(path)
        except FileNotFoundError:  # trimmed meanwhile
            self.discard(scratch)
            return None
        except OSError as error:
            self.discard(scratch)
            self.failed(error)
            return None
        return path

    # -- the budget --------------------------------------------------------------------------------
    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        with contextlib.suppress(FileNotFoundError):
            for entry in self.directory.iterdir():
                try:
                    info = entry.stat()
                except FileNotFoundError:
                    continue
                entries.append((info.st_mtime, info.st_size, entry))
        return entries

    def used_bytes(self) -> int:
        """Every byte in the spool: finished files and scratch files being written."""
        return sum(size for _, size, _ in self._entries())

    def trim(self) -> int:
        """Remove the least recently used finished files nobody reads until the spool fits its
        budget; return the bytes left (more than the budget if readers and writers hold it)."""
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        for _, size, entry in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            name = entry.name
            if name.startswith(".") or name.removesuffix(".gz") in self.leases:
                continue
            with contextlib.suppress(OSError):
                entry.unlink(missing_ok=True)
                total -= size
        return total

    def full(self) -> bool:
        """True when files being read or written alone exceed the budget: a new export would
        grow the disk past it, so it waits (503) for them."""
        return self.trim() > self.max_bytes

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def is_disk_error(error: BaseException) -> bool:
    """An OSError the disk gave (full, read-only, quota, file size limit, permissions, I/O)."""
    return isinstance(error, OSError) and error.errno in (
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EFBIG,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.EIO,
        errno.ENOENT,
    )
