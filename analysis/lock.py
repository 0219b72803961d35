"""One writer at a time for a folder (data/processed, reports/): an advisory lock on a file in it.

The lock dies with its process, even under kill -9, so a crashed run never blocks the next one;
whatever debris the crashed run left can then be removed safely by whoever holds the lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one user at a time is the norm there
    fcntl = None

LOCK_NAME = ".lock"


class Busy(RuntimeError):
    """Another process holds the folder."""


@contextmanager
def exclusive(folder: Path, what: str) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy(f"another {what} is writing {folder} right now; wait for it to finish and try again") from None
        yield
