"""Unexpected errors: logged with their traceback under a short error id; the user sees only that id.

A domain error (:class:`ingestion.errors.AvgError`) carries its own Dutch message and is shown as
it is. Anything else is a bug or a problem of the machine: the web UI and the CLI show
:func:`unexpected_message` (Dutch, with the error id, never a stack trace or exception name) and the
log gets the same id, what was being done and the full traceback, so the administrator can find it.

This module sits outside the layers so that the interfaces (web handlers, the CLI's dispatch) and
the features that must not stop a batch on one bad file (adding documents) report the same way.

A full disk, a read-only data folder or missing permissions are problems of the machine the user
can fix: :func:`storage_problem` recognises them (an ``OSError`` with ENOSPC, EDQUOT, EFBIG, EROFS,
EACCES or EPERM, or SQLite's or Chroma's wording of the same, anywhere in the exception's chain)
and :func:`report_unexpected` then returns a Dutch message that says what to do, and logs one line
without a traceback.
"""

from __future__ import annotations

import errno
import logging
import uuid

_logger = logging.getLogger(__name__)


def new_error_id() -> str:
    """A short random id (8 hex characters) that names one occurrence of an error in the log."""
    return uuid.uuid4().hex[:8]


def unexpected_message(error_id: str) -> str:
    """The Dutch message the user sees for an unexpected error."""
    return f"Er ging iets mis (foutcode {error_id}). De beheerder kan deze code terugvinden in het logboek."


DISK_FULL = (
    "De schijf van de datamap is vol (of de maximale bestandsgrootte is bereikt); er is niets half "
    "weggeschreven. Maak ruimte vrij en probeer het opnieuw."
)
READ_ONLY = (
    "De datamap is alleen-lezen; er kan niets worden opgeslagen. Controleer AVG_DATA_DIR en de "
    "schrijfrechten van die map."
)
NO_PERMISSION = (
    "Geen toegang tot een bestand in de datamap (rechten ontbreken). Controleer AVG_DATA_DIR en de "
    "rechten van die map."
)
IO_ERROR = (
    "Schrijven naar of lezen uit de datamap mislukte (schijffout of schijf vol). Controleer de schijf "
    "en de vrije ruimte en probeer het opnieuw."
)
_ERRNO_MESSAGES = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.EFBIG: DISK_FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: NO_PERMISSION,
    errno.EPERM: NO_PERMISSION,
}
#: How SQLite (and Chroma, which uses it) words the same problems.
_TEXT_MESSAGES = (
    ("database or disk is full", DISK_FULL),
    ("no space left on device", DISK_FULL),
    ("file too large", DISK_FULL),
    ("readonly database", READ_ONLY),
    ("read-only file system", READ_ONLY),
    ("unable to open database file", NO_PERMISSION),
    ("permission denied", NO_PERMISSION),
    ("disk i/o error", IO_ERROR),
)


def storage_problem(exc: BaseException) -> str | None:
    """The Dutch message when ``exc`` (or an exception in its chain) is a full disk, a read-only data
    folder or missing permissions; None for anything else."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _ERRNO_MESSAGES:
            return _ERRNO_MESSAGES[current.errno]
        text = str(current).lower()
        message = next((message for words, message in _TEXT_MESSAGES if words in text), None)
        if message is not None:
            return message
        current = current.__cause__ or current.__context__
    return None


def report_unexpected(exc: BaseException, action: str, logger: logging.Logger | None = None) -> str:
    """Log ``exc`` with its traceback under a new error id; return the Dutch message with that id.

    A storage problem (:func:`storage_problem`) is logged as one line and its own message returned.
    """
    storage = storage_problem(exc)
    if storage is not None:
        (logger or _logger).warning("Opslagprobleem bij %s: %s", action, exc)
        return storage
    error_id = new_error_id()
    (logger or _logger).error("Onverwachte fout bij %s (foutcode %s)", action, error_id, exc_info=exc)
    return unexpected_message(error_id)
