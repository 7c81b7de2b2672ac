"""Errors of the register and privacyverklaring use cases (Dutch messages, shown at the edge).

::

    AvgError (ingestion.errors)
    └── PrivacyError          base of this package
        ├── RegisterError     invalid register data, unreadable import file, unknown client
        └── ReviewError       a review step that is not allowed now, unknown draft or version
"""

from __future__ import annotations

from ingestion.errors import AvgError


class PrivacyError(AvgError):
    """Base class of register and privacyverklaring errors."""


class RegisterError(PrivacyError):
    """The register data is invalid or cannot be read; the message says why, in Dutch."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        full = message if not self.problems else message + "\n" + "\n".join(f"- {p}" for p in self.problems)
        super().__init__(full)


class ReviewError(PrivacyError):
    """A review action that is not possible in the draft's current state."""
