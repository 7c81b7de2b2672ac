"""Retention: chat history and question logs expire after ``retention_days`` (default 90).

Each store that holds such data offers ``purge_before(cutoff) -> int`` (the
:class:`Purgeable` protocol) and deletes what is older than ``cutoff``. Other audit events
(logins, approvals, document changes, user changes) are kept longer, for
``audit_retention_days`` (default 365). ``avg-assistent purge`` runs both; schedule it daily
(cron, systemd timer or Windows Taakplanner).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from assistant.features.audit.log import AuditLog, EventType
from ingestion.errors import ConfigError

DEFAULT_RETENTION_DAYS = 90
DEFAULT_AUDIT_RETENTION_DAYS = 365
QUESTION_EVENTS = (EventType.QUESTION.value,)


@runtime_checkable
class Purgeable(Protocol):
    """A store whose old entries can be deleted."""

    def purge_before(self, cutoff: datetime) -> int:
        """Delete entries older than ``cutoff``; return how many were deleted."""
        ...


def purge_expired(now: datetime, days: int, stores: Mapping[str, Purgeable]) -> dict[str, int]:
    """Delete everything older than ``days`` days from each store; returns the count per store."""
    if days < 1:
        raise ConfigError(f"De bewaartermijn moet minstens 1 dag zijn (nu {days}).")
    cutoff = now - timedelta(days=days)
    return {name: store.purge_before(cutoff) for name, store in stores.items()}


def retention_days(settings: Any) -> tuple[int, int]:
    """(chat and question days, other audit days) from the settings, with the defaults."""
    return (
        int(getattr(settings, "retention_days", DEFAULT_RETENTION_DAYS)),
        int(getattr(settings, "audit_retention_days", DEFAULT_AUDIT_RETENTION_DAYS)),
    )


def run_retention(
    now: datetime,
    audit: AuditLog,
    conversations: Purgeable | None,
    days: int = DEFAULT_RETENTION_DAYS,
    audit_days: int = DEFAULT_AUDIT_RETENTION_DAYS,
) -> dict[str, int]:
    """Purge chats and question logs after ``days``, all other audit events after ``audit_days``."""
    if audit_days < days:
        raise ConfigError(
            f"De bewaartermijn van het auditlog ({audit_days} dagen) is korter dan die van de "
            f"gesprekken ({days} dagen)."
        )
    stores: dict[str, Purgeable] = {"vragen in het auditlog": audit.purger(QUESTION_EVENTS)}
    if conversations is not None:
        stores = {"gesprekken": conversations, **stores}
    counts = purge_expired(now, days, stores)
    counts.update(purge_expired(now, audit_days, {"overige auditregels": audit.purger()}))
    return counts
