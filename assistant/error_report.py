"""Unexpected errors: logged with their traceback under a short error id; the user sees only that id.

A domain error (:class:`ingestion.errors.AvgError`) carries its own Dutch message and is shown as
it is. Anything else is a bug or a problem of the machine: the web UI and the CLI show
:func:`unexpected_message` (Dutch, with the error id, never a stack trace or exception name) and the
log gets the same id, what was being done and the full traceback, so the administrator can find it.

This module sits outside the layers so that the interfaces (web handlers, the CLI's dispatch) and
the features that must not stop a batch on one bad file (adding documents) report the same way.
"""

from __future__ import annotations

import logging
import uuid

_logger = logging.getLogger(__name__)


def new_error_id() -> str:
    """A short random id (8 hex characters) that names one occurrence of an error in the log."""
    return uuid.uuid4().hex[:8]


def unexpected_message(error_id: str) -> str:
    """The Dutch message the user sees for an unexpected error."""
    return f"Er ging iets mis (foutcode {error_id}). De beheerder kan deze code terugvinden in het logboek."


def report_unexpected(exc: BaseException, action: str, logger: logging.Logger | None = None) -> str:
    """Log ``exc`` with its traceback under a new error id; return the Dutch message with that id."""
    error_id = new_error_id()
    (logger or _logger).error("Onverwachte fout bij %s (foutcode %s)", action, error_id, exc_info=exc)
    return unexpected_message(error_id)
