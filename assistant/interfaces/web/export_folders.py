"""Short-lived folders for files the web UI hands out (reports, registers, exports).

Gradio copies a returned file into its own cache (kept 15 minutes, see ``app.py``) as soon as the
event returns, so the original is only needed for a moment. Every export gets a private folder
(0700) under one root per server process; folders older than ``ttl_s`` are removed whenever a new
one is made, and the whole root is removed when the process ends. Client data thus never lingers
in the system's temporary folder.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

TTL_S = 900.0  # as long as gradio keeps its cached copy


class ExportFolders:
    """Makes and sweeps the per-export folders of one process."""

    def __init__(self, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._lock = threading.Lock()
        self._root: Path | None = None
        self._made: list[tuple[float, Path]] = []

    def new(self, prefix: str) -> Path:
        """A fresh private folder for one export; older folders past their time are removed."""
        now = self.clock()
        with self._lock:
            if self._root is None or not self._root.is_dir():
                self._root = Path(tempfile.mkdtemp(prefix="avg-exports-"))
                atexit.register(shutil.rmtree, self._root, ignore_errors=True)
            kept: list[tuple[float, Path]] = []
            for made, folder in self._made:
                if now - made > self.ttl_s:
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    kept.append((made, folder))
            folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self._root))
            kept.append((now, folder))
            self._made = kept
            return folder

    def live(self) -> list[Path]:
        """The folders not yet removed (for tests and diagnostics)."""
        with self._lock:
            return [folder for _, folder in self._made if folder.exists()]

    def clear(self) -> None:
        """Remove every folder and the root now."""
        with self._lock:
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
            self._root = None
            self._made = []


# The one set of this process, like gradio's cache that copies from it.
EXPORT_FOLDERS = ExportFolders()
