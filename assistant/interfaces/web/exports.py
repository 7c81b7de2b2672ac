"""Which clients an exported file is about, so that its download is checked again when it is fetched.

A tab that hands out a file about clients (a check report, a register, a privacyverklaring, the
portfolio overview) records it with :func:`scoped_export`: the clients and the permissions of
which one must still allow each of them. Gradio copies the file into its cache under a name of
its own, so the record is keyed by the file's content (size and SHA-256), which the copy keeps.
:class:`~assistant.interfaces.web.binding.SessionBinding` asks :meth:`ExportScopes.allows` before
it serves a file: an account that lost the client since the export (an assignment removed, a
client deleted) gets 403. Records expire with the binding's other entries.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.features.accounts.access import Permission, may
from assistant.features.accounts.users import User

LIFETIME_S = 24 * 3600.0
MAX_RECORDS = 10_000
CHUNK = 1 << 20


@dataclass(frozen=True)
class ExportScope:
    """The clients a file is about and the permissions of which one must allow each client."""

    clients: frozenset[str]
    permissions: tuple[Permission, ...]

    def allows(self, user: User) -> bool:
        """Whether ``user`` may still see every client of the file."""
        return all(any(may(user, p, c) for p in self.permissions) for c in self.clients)


class ExportScopes:
    """Recorded exports by content; thread-safe, bounded, entries expire after ``lifetime_s``."""

    def __init__(self, lifetime_s: float = LIFETIME_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime_s = lifetime_s
        self.clock = clock
        self._lock = threading.Lock()
        self._records: dict[tuple[int, str], list[tuple[ExportScope, float]]] = {}
        self._sizes: dict[int, int] = {}

    def record(self, path: str | Path, scope: ExportScope) -> None:
        """Remember that the file at ``path`` (as it is now) is about ``scope``'s clients."""
        key = _content_key(Path(path))
        if key is None:
            return
        now = self.clock()
        with self._lock:
            self._prune(now)
            self._records.setdefault(key, []).append((scope, now))
            self._sizes[key[0]] = self._sizes.get(key[0], 0) + 1

    def scopes_of(self, path: str | Path) -> list[ExportScope]:
        """The recorded scopes of a file with the same content ([] for any other file)."""
        target = Path(path)
        try:
            size = target.stat().st_size if target.is_file() else -1
        except OSError:
            return []
        with self._lock:
            if size not in self._sizes:  # most files (uploads, other outputs): no hashing at all
                return []
        key = _content_key(target)
        now = self.clock()
        with self._lock:
            return [s for s, at in self._records.get(key, []) if now - at <= self.lifetime_s] if key else []

    def allows(self, path: str | Path, user: User | None) -> bool:
        """Whether ``user`` may fetch the file: no recorded scope, or every recorded scope allows it."""
        scopes = self.scopes_of(path)
        if not scopes:
            return True
        return user is not None and all(s.allows(user) for s in scopes)

    def _prune(self, now: float) -> None:
        if sum(len(v) for v in self._records.values()) < MAX_RECORDS:
            return
        for key in list(self._records):
            kept = [(s, at) for s, at in self._records[key] if now - at <= self.lifetime_s]
            if kept:
                self._records[key] = kept
            else:
                del self._records[key]
        self._sizes = {}
        for size, _ in self._records:
            self._sizes[size] = self._sizes.get(size, 0) + 1


# The one record of this process: gradio's file cache, which it describes, is per process too.
EXPORTS = ExportScopes()


def scoped_export(
    path: str | Path,
    clients: Iterable[str],
    permissions: Iterable[Permission],
    exports: ExportScopes = EXPORTS,
) -> str:
    """Record the export at ``path`` as being about ``clients``; returns the path for the file output."""
    exports.record(path, ExportScope(frozenset(clients), tuple(permissions)))
    return str(path)


def _content_key(path: Path) -> tuple[int, str] | None:
    """(size, SHA-256) of a regular file; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            size = 0
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                digest.update(chunk)
    except OSError:
        return None
    return size, digest.hexdigest()
