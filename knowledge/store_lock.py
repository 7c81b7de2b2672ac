"""One writer per embedded store: an exclusive file lock held while the app is open.

Chroma's embedded store is not safe for several processes at once. Several processes
(e.g. the web UI and a CLI ingest) must use a Chroma server (``AVG_CHROMA_URL``).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ingestion.errors import StoreError


class StoreLock:
    """An exclusive, non-blocking lock on a file in the data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> StoreLock:
        """Take the lock or raise a Dutch StoreError naming what to do."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(fd)
            raise StoreError(
                f"De kennisbank in {self.path.parent} is al in gebruik door een ander proces (bijvoorbeeld "
                "'avg-assistent serve'). Stop dat proces eerst, of laat meerdere processen samenwerken "
                "via een Chroma-server: start 'chroma run --path <map>' en zet AVG_CHROMA_URL."
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def release(self) -> None:
        """Release the lock (idempotent)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
