"""What of the audit log a viewer may read: labels of a client's documents only for that client's people.

A beheerder sees every row of the audit log — who did what, when, in which scope, with which
document ids — but the words that come from a client's documents (citation labels: titles,
section headings; titles of documents; a stored question text) only for the clients he is
assigned to. Rows keep the scope of every cited source, so the rule is per source; a row from
before sources carried their scope falls back to the scopes the question was asked in.
The table and the CSV export of the Beheer tab both go through :func:`visible_events`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from assistant.features.audit.log import AuditEvent
from knowledge.scopes import CLIENT_PREFIX

HIDDEN = "[afgeschermd: document van een klant waaraan u niet bent toegewezen]"
LABEL_KEYS = ("title", "titles", "titel", "question", "heading", "headings", "source_name", "file", "bestand")


def _foreign(scope: str, clients: frozenset[str]) -> bool:
    """Whether ``scope`` is a client scope of a client not in ``clients``."""
    return scope.startswith(CLIENT_PREFIX) and scope[len(CLIENT_PREFIX) :] not in clients


def visible_event(event: AuditEvent, clients: frozenset[str] | None) -> AuditEvent:
    """``event`` as a viewer assigned to ``clients`` may see it (None: every client)."""
    if clients is None:
        return event
    event_scopes = [event.scope, *[str(s) for s in event.details.get("scopes", []) or []]]
    row_foreign = any(_foreign(s, clients) for s in event_scopes)
    details: dict[str, Any] = dict(event.details)
    changed = False
    sources = details.get("sources")
    if isinstance(sources, list):
        shown = []
        for source in sources:
            if not isinstance(source, dict):
                shown.append(source)
                continue
            scope = str(source.get("scope", ""))
            hide = _foreign(scope, clients) if scope else row_foreign
            if hide and source.get("citation"):
                source = {**source, "citation": HIDDEN}
                changed = True
            shown.append(source)
        details["sources"] = shown
    if row_foreign:
        for key in LABEL_KEYS:
            if key in details and details[key]:
                details[key] = HIDDEN
                changed = True
    return replace(event, details=details) if changed else event


def visible_events(events: Iterable[AuditEvent], clients: frozenset[str] | None) -> list[AuditEvent]:
    """Every event of ``events`` as a viewer assigned to ``clients`` may see it."""
    return [visible_event(e, clients) for e in events]
