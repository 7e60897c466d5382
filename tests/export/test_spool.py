"""The export spool on its own: the budget counts every byte, a leased file is never trimmed,
the gzip is the same bytes wherever it is made, and a killed process's directory is removed by
the next one."""

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.export.spool import Spool
from tests.support import ROOT


def publish(spool: Spool, key: str, size: int) -> Path:
    scratch = spool.scratch(key)
    scratch.write_bytes(os.urandom(size))
    return spool.publish(scratch, key)


def test_the_budget_counts_scratch_files_and_spares_what_is_read(tmp_path):
    spool = Spool(100_000, tmp_path)
    first = publish(spool, "a", 60_000)  # leased by its publisher until released
    scratch = spool.scratch("b")
    scratch.write_bytes(b"x" * 60_000)  # an export being written
    assert spool.used_bytes() == 120_000
    assert spool.full()  # the files in use alone exceed the budget: a new export waits
    assert first.exists() and scratch.exists()
    spool.release("a")  # its response ended: now it may go
    assert not first.exists() and scratch.exists()
    assert spool.used_bytes() == 60_000 and not spool.full()
    spool.discard(scratch)
    assert spool.used_bytes() == 0
    spool.close()
    assert not spool.directory.exists()


def test_a_file_served_is_not_trimmed_when_its_gzip_twin_is_written(tmp_path):
    spool = Spool(0, tmp_path)  # nothing is kept once its readers are done
    publish(spool, "a", 50_000)
    assert spool.compress("a") is not None
    spool.trim()
    assert spool.path("a").exists() and spool.gzipped("a").exists()
    assert spool.ready("a") is not None  # a second reader
    spool.release("a")
    assert spool.path("a").exists()
    spool.release("a")
    assert list(spool.directory.iterdir()) == []


def test_the_gzip_is_the_same_bytes_in_every_process(tmp_path):
    body = b"<html>" + b"layerwarp " * 20_000
    zipped = []
    for name in ("one", "two"):
        spool = Spool(1e9, tmp_path / name)
        scratch = spool.scratch("k")
        scratch.write_bytes(body)
        spool.publish(scratch, "k")
        time.sleep(1.1)  # a different second: an mtime in the header would differ
        zipped.append(spool.compress("k").read_bytes())
    assert zipped[0] == zipped[1] and gzip.decompress(zipped[0]) == body
    assert zipped[0][4:8] == b"\0\0\0\0"  # mtime 0
    assert zipped[0][3] & 0x08 == 0  # no file name


def test_a_killed_process_leaves_its_spool_to_the_next_one(tmp_path):
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom app.export.spool import Spool\n"
        "spool = Spool(1e6, Path(sys.argv[1]))\n(spool.directory / 'x').write_bytes(b'1' * 1000)\n"
        "print(spool.directory, flush=True)\ntime.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    directory = Path(child.stdout.readline().strip())
    alive = Spool(1e6, tmp_path)  # the child is alive: its directory stays
    assert directory.exists() and alive.directory.exists() and directory != alive.directory
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    child.stdout.close()
    assert directory.exists()  # nothing ran to clean it
    after = Spool(1e6, tmp_path)
    assert not directory.exists()
    assert alive.directory.exists() and after.directory == alive.directory  # same process
    after.close()
