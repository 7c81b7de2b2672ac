"""Login sessions of the web UI: random tokens, kept in memory, that end after a fixed time.

A session starts when a password was checked (:meth:`UserStore.login`) and is identified by a
random token in a cookie. Only the token's SHA-256 is kept, so a memory dump holds no usable
cookie. A session ends when it is older than ``max_age_s`` (counted from the login, however
active the user is), at logout, or when its account no longer exists or its ``session_epoch``
changed — a new password or role (checked by the caller on every request). Sessions live in
the server process: a restart logs everybody out, which is what a beheerder expects after
changing settings.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Session:
    """Who logged in, and when (on the store's clock)."""

    username: str
    started: float
    epoch: int = 0  # the account's session_epoch at the login


class SessionStore:
    """Thread-safe sessions by token hash."""

    def __init__(self, max_age_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age_s = max_age_s
        self.clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    def start(self, username: str, epoch: int = 0) -> str:
        """A new session for ``username`` (at the account's ``epoch``); returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._forget_expired(now)
            self._sessions[_digest(token)] = Session(username, now, epoch)
        return token

    def username(self, token: str) -> str | None:
        """The user of a live session, or None (unknown, ended or expired token)."""
        session = self.session(token)
        return session.username if session is not None else None

    def session(self, token: str) -> Session | None:
        """The live session of ``token``, or None (unknown, ended or expired token)."""
        if not token:
            return None
        key = _digest(token)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if self.clock() - session.started > self.max_age_s:
                del self._sessions[key]
                return None
            return session

    def end(self, token: str) -> None:
        """End one session (logout)."""
        with self._lock:
            self._sessions.pop(_digest(token), None)

    def end_all(self, username: str) -> int:
        """End every session of ``username`` (account removed, logout everywhere); returns how many ended."""
        with self._lock:
            keys = [k for k, s in self._sessions.items() if s.username == username]
            for key in keys:
                del self._sessions[key]
        return len(keys)

    def _forget_expired(self, now: float) -> None:
        expired = [k for k, s in self._sessions.items() if now - s.started > self.max_age_s]
        for key in expired:
            del self._sessions[key]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
