"""Memory that a burst of clients made the server hold goes back to the system after them.

glibc serves a large allocation (an encoded event, a transport's buffer of unread bytes) from
mmap, returned on free, until the first such block is freed: then it raises its threshold to
that size, and later blocks come from the heap, where fragments keep pages resident. 300 clients
that never read a 0.75 MB event left the server at ~960 MB after they were gone. A fixed
threshold keeps blocks of 128 KB and more on mmap, so their memory leaves with them.
"""

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
LARGE_BYTES = 128 * 1024


def return_large_blocks() -> bool:
    """Fix glibc's mmap and trim thresholds (no-op elsewhere); True if set."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, LARGE_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, 4 * LARGE_BYTES)
    )
