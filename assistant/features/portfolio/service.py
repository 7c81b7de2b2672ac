"""Use case: the client portfolio — subscriptions, tracked actions, change alerts and the overview.

Every state-changing method takes ``actor`` and writes the audit log (event ``portefeuille``).
Change alerts arrive as events, never by polling: the composition root adds
:meth:`PortfolioService.on_document_changed` to the knowledge base's ``change_listeners`` (upload,
folder sync, sources update, kennisnotities) and :meth:`PortfolioService.on_checklist_changed` to
the check service's ``checklist_listeners``. The store takes part in the client lifecycle
(:class:`~assistant.features.lifecycle.ClientData`) and in document erasure.
"""

from __future__ import annotations

import builtins
import logging
from datetime import date
from pathlib import Path

from assistant.features.accounts.users import UserStore
from assistant.features.audit.log import SYSTEM_ACTOR, AuditLog
from assistant.features.check.checklist import Checklist
from assistant.features.check.model import CheckRun
from assistant.features.check.service import CheckService, client_name
from assistant.features.portfolio.alerts import AlertFinder
from assistant.features.portfolio.check_plan import plan_items, unreviewed
from assistant.features.portfolio.dates import add_months, day_of, parse_date, today
from assistant.features.portfolio.model import (
    ACTION_ACTIVE,
    ACTION_OPEN,
    ACTION_STATUSES,
    INTERVAL_CUSTOM,
    INTERVAL_MONTHS,
    INTERVAL_NONE,
    INTERVALS,
    Alert,
    NewAlert,
    NextCheck,
    PortfolioError,
    Subscription,
    TrackedAction,
)
from assistant.features.portfolio.overview import ClientStatus, client_status
from assistant.features.portfolio.store import STORE_FILE, PortfolioStore, now
from assistant.features.privacy.review import STALE
from assistant.features.privacy.service import PrivacyService
from knowledge.knowledge_base import DocumentChange, KnowledgeBase
from knowledge.registry import STATUS_READY
from knowledge.scopes import CLIENT_PREFIX

logger = logging.getLogger(__name__)

EVENT = "portefeuille"
MAX_CUSTOM_MONTHS = 60


class PortfolioService:
    """Subscriptions, actions and alerts of every client."""

    def __init__(
        self,
        data_dir: Path,
        kb: KnowledgeBase,
        check: CheckService,
        privacy: PrivacyService,
        users: UserStore,
        *,
        audit: AuditLog,
    ) -> None:
        self.store = PortfolioStore(data_dir / STORE_FILE)
        self.kb = kb
        self.check = check
        self.privacy = privacy
        self.users = users
        self.audit = audit
        self.finder = AlertFinder(kb, check, privacy)

    # --- subscriptions ---------------------------------------------------------------------------

    def set_subscription(
        self,
        client: str,
        interval: str,
        *,
        actor: str,
        months: int | None = None,
        consultant: str = "",
        contact: str = "",
    ) -> Subscription:
        """Set how often ``client`` is checked again and who is responsible."""
        name = self._client(client)
        interval = interval.strip().lower()
        if interval not in INTERVALS:
            raise PortfolioError(f"Onbekend abonnement '{interval}'. Kies uit: {', '.join(INTERVALS)}.")
        if interval == INTERVAL_CUSTOM:
            if months is None or not 1 <= months <= MAX_CUSTOM_MONTHS:
                raise PortfolioError(f"Geef bij 'anders' het aantal maanden (1 tot {MAX_CUSTOM_MONTHS}).")
        else:
            months = INTERVAL_MONTHS.get(interval, 0)
        consultant = consultant.strip()
        if consultant and self.users.get(consultant) is None:
            raise PortfolioError(f"Consultant '{consultant}' heeft geen account.")
        sub = Subscription(name, interval, months, consultant, " ".join(contact.split()), now(), actor)
        self.store.save_subscription(sub)
        self._audit(
            actor, name, "abonnement ingesteld", interval=interval, months=months, consultant=consultant
        )
        return sub

    def subscription(self, client: str) -> Subscription:
        """The client's subscription ("geen" when none was set)."""
        name = client_name(client)
        return self.store.subscription(name) or Subscription(name, INTERVAL_NONE, 0, "", "", "", "")

    def last_check(self, client: str) -> CheckRun | None:
        """The client's newest check run, None when there is none."""
        return self.check.runs.latest(client_name(client))

    def next_due(self, client: str) -> date | None:
        """When the next check is due: an interval after the last, at once without one; None: no re-checks."""
        sub = self.subscription(client)
        if not sub.active:
            return None
        run = self.last_check(client)
        if run is None:
            return day_of(sub.updated_at)
        return add_months(day_of(run.created_at), sub.months)

    # --- actions ---------------------------------------------------------------------------------

    def actions_from_check(
        self, client: str, *, actor: str, run_id: int | None = None, owner: str = "", due: str = ""
    ) -> list[TrackedAction]:
        """Turn the action plan of a reviewed check into tracked actions (once per question).

        A question that still has an open action from an earlier check keeps that action.
        """
        name = client_name(client)
        run = self.check.runs.get(run_id) if run_id is not None else self.check.latest(name)
        if run.client != name:
            raise PortfolioError(f"Check {run.id} hoort niet bij klant '{name}'.")
        report = self.check.report(run)
        if unreviewed(report):
            raise PortfolioError(
                f"Check {run.id} is nog niet helemaal beoordeeld ({unreviewed(report)} antwoorden open). "
                "Beoordeel eerst alle antwoorden; dan wordt het actieplan een lijst acties."
            )
        carried = {a.question_id for a in self.store.actions(name) if a.active}
        owner = " ".join(owner.split()) or self.subscription(name).consultant
        due_iso = parse_date(due).isoformat() if due.strip() else ""
        created = []
        for item in plan_items(report):
            if item.question_id in carried:
                continue
            action_id = self.store.add_action(
                {
                    "client": name,
                    "run_id": run.id,
                    "question_id": item.question_id,
                    "theme": item.theme,
                    "measure": item.measure,
                    "gap_status": item.gap_status,
                    "effort_days": item.effort_days,
                    "owner": owner,
                    "due_date": due_iso,
                    "status": ACTION_OPEN,
                }
            )
            if action_id is not None:
                created.append(self.store.action(action_id))
        self._audit(actor, name, "acties aangemaakt", run=run.id, actions=[a.id for a in created])
        return created

    def update_action(
        self,
        action_id: int,
        *,
        actor: str,
        status: str | None = None,
        owner: str | None = None,
        due: str | None = None,
        note: str | None = None,
        evidence: str | None = None,
    ) -> TrackedAction:
        """Change an action's status, owner, due date, note or evidence (a document id of the client)."""
        action = self.store.action(action_id)
        changes: dict[str, object] = {}
        if status is not None:
            status = status.strip().lower()
            if status not in ACTION_STATUSES:
                raise PortfolioError(f"Onbekende status '{status}'. Kies uit: {', '.join(ACTION_STATUSES)}.")
            changes["status"] = status
            closing = status not in ACTION_ACTIVE
            changes["closed_at"] = now() if closing else ""
            changes["closed_by"] = actor if closing else ""
        if owner is not None:
            changes["owner"] = " ".join(owner.split())
        if due is not None:
            changes["due_date"] = parse_date(due).isoformat() if due.strip() else ""
        if note is not None:
            changes["note"] = note.strip()
        if evidence is not None:
            changes.update(self._evidence(action.client, evidence))
        if not changes:
            return action
        self.store.update_action(action_id, changes)
        details = {
            k: v for k, v in changes.items() if k in ("status", "owner", "due_date", "evidence_doc_id")
        }
        self._audit(actor, action.client, "actie gewijzigd", action_id=action_id, **details)
        return self.store.action(action_id)

    def actions(self, client: str | None = None) -> builtins.list[TrackedAction]:
        """Tracked actions (of one client)."""
        return self.store.actions(client_name(client) if client else None)

    def action(self, action_id: int) -> TrackedAction:
        """One tracked action."""
        return self.store.action(action_id)

    def next_check(self, client: str, run_id: int | None = None) -> NextCheck:
        """What a check starts with: the open actions, and those closed since the check before it.

        Without ``run_id`` the upcoming check; with it the check of that run (what it carried over).
        """
        name = client_name(client)
        ids = self.check.runs.run_ids(name)
        before = [i for i in ids if run_id is None or i < run_id]
        if not before:
            return NextCheck(name, [], [])
        basis = self.check.runs.get(before[-1])
        considered = [a for a in self.store.actions(name) if a.run_id <= basis.id]
        open_actions = [a for a in considered if a.active]
        closed = [a for a in considered if not a.active and a.closed_at >= basis.created_at]
        return NextCheck(name, open_actions, closed)

    # --- alerts ----------------------------------------------------------------------------------

    def on_document_changed(self, change: DocumentChange) -> None:
        """A document got a new version: refresh draft staleness and store alerts for what cites it."""
        if change.scope.startswith(CLIENT_PREFIX):
            self.privacy.refresh_staleness(change.scope[len(CLIENT_PREFIX) :])
        alerts = self.finder.for_document(change, self._clients(), self.store.actions())
        self._store_alerts(alerts, source=change.title, version=change.new_version)

    def on_checklist_changed(self, previous: Checklist, saved: Checklist) -> None:
        """A checklist version was saved: store alerts for answers and actions of changed questions."""
        alerts = self.finder.for_checklist(previous, saved, self._clients(), self.store.actions())
        self._store_alerts(alerts, source=f"checklist versie {saved.version}", version=saved.version)

    def alerts(self, client: str | None = None, open_only: bool = True) -> builtins.list[Alert]:
        """Change alerts (of one client), newest first."""
        return self.store.alerts(client_name(client) if client else None, open_only)

    def alert(self, alert_id: int) -> Alert:
        """One alert."""
        return self.store.alert(alert_id)

    def handle_alert(self, alert_id: int, *, actor: str) -> Alert:
        """Mark an alert as handled."""
        alert = self.store.alert(alert_id)
        self.store.handle_alert(alert_id, actor)
        self._audit(actor, alert.client, "melding afgehandeld", alert=alert_id)
        return self.store.alert(alert_id)

    # --- overview --------------------------------------------------------------------------------

    def overview(
        self, clients: builtins.list[str] | None = None, on: date | None = None
    ) -> builtins.list[ClientStatus]:
        """Per client (all, or the given ones): due re-check, overdue actions, stale drafts, open alerts."""
        day = on or today()
        names = self._clients() if clients is None else [client_name(c) for c in clients]
        known = set(self._clients())
        rows = []
        for name in names:
            if name not in known:
                continue
            run = self.last_check(name)
            stale = sum(1 for d in self.privacy.review.list(name) if d.status == STALE)
            rows.append(
                client_status(
                    self.subscription(name),
                    run.created_at if run else "",
                    self.next_due(name),
                    self.store.actions(name),
                    stale,
                    len(self.store.alerts(name, open_only=True)),
                    day,
                )
            )
        return rows

    # --- lifecycle -------------------------------------------------------------------------------

    def erase_client(self, client: str) -> int:
        """Erase the client's subscription, actions and alerts."""
        return self.store.erase_client(client)

    def rename_client(self, old: str, new: str) -> None:
        """The client's portfolio rows follow its new name."""
        self.store.rename_client(old, new)

    def forget_document(self, doc_id: str, title: str) -> int:
        """Evidence and alert diffs of the erased document are replaced."""
        return self.store.forget_document(doc_id, title)

    # --- helpers ---------------------------------------------------------------------------------

    def _store_alerts(self, new: builtins.list[NewAlert], source: str, version: int) -> None:
        added = self.store.add_alerts(new)
        for client in sorted({a.client for a in new}):
            count = sum(1 for a in new if a.client == client)
            self._audit(
                SYSTEM_ACTOR, client, "wijzigingsmelding", source=source, version=version, alerts=count
            )
        if added:
            logger.info("%d wijzigingsmeldingen voor %s", added, source)

    def _evidence(self, client: str, doc_ref: str) -> dict[str, object]:
        doc_ref = doc_ref.strip()
        if not doc_ref:
            return {"evidence_doc_id": "", "evidence_version": 0, "evidence_title": ""}
        scope = CLIENT_PREFIX + client
        matches = [
            d
            for d in self.kb.registry.resolve_id(doc_ref)
            if (r := self.kb.registry.by_id(d)) and r.scope == scope
        ]
        if len(matches) != 1:
            raise PortfolioError(
                f"Document '{doc_ref}' is geen (eenduidig) document van klant '{client}'. "
                "Geef het document-id uit de Kennisbank."
            )
        record = self.kb.registry.by_id(matches[0])
        if record is None or record.status != STATUS_READY:
            raise PortfolioError(f"Document '{doc_ref}' is niet (meer) doorzoekbaar en kan geen bewijs zijn.")
        return {
            "evidence_doc_id": record.id,
            "evidence_version": record.version,
            "evidence_title": record.title,
        }

    def _clients(self) -> builtins.list[str]:
        return [c.name for c in self.kb.clients.list()]

    def _client(self, client: str) -> str:
        name = client_name(client)
        if name not in self._clients():
            raise PortfolioError(f"Klant '{name}' bestaat niet. Zie 'avg-assistent clients list'.")
        return name

    def _audit(self, actor: str, client: str, action: str, **details: object) -> None:
        self.audit.record(actor, EVENT, scope=CLIENT_PREFIX + client, action=action, **details)
