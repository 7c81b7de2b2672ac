"""Use case: a kennisbeheerder writes, validates and retires answer cards.

Rules live here, so the web UI, a later CLI and the tests get the same checks: only a user
with ``antwoordkaarten_beheren`` (kennisbeheerder, beheerder) may read the card list or
write; every change is written to the audit log (card id and action, not the text); and
the matcher's index is refreshed at once, so the next question is answered by the saved
card without a restart. A card written from the queue "Vragen zonder goed antwoord"
closes that queue item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from assistant.features.accounts.access import Permission, require
from assistant.features.accounts.users import User
from assistant.features.audit.log import AuditLog
from assistant.features.cards.matcher import CardMatcher
from assistant.features.cards.model import (
    CONCEPT,
    RETIRED,
    STATUSES,
    VALIDATED,
    AnswerCard,
    CardError,
    Provision,
)
from assistant.features.cards.store import CardStore
from assistant.features.chat.unanswered import UnansweredService
from knowledge.scopes import GENERAL_SCOPE

CARD_EVENT = "antwoordkaart_gewijzigd"
AVG_ARTICLES = 99
_DUTCH_PROVISION = re.compile(
    r"^(?:art(?:ikel|\.)?\s*)?(\d{1,3})"
    r"(?:\s*(?:lid|\()\s*(\d{1,2}[a-z]?)\)?)?"
    r"(?:\s*(?:sub|onder|punt|\()\s*([a-z0-9]{1,4})\)?)?"
    r"(?:\s*avg)?$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[;,\n]+")


def parse_provisions(text: str) -> tuple[Provision, ...]:
    """ "33(1), art. 6 lid 1 sub f; 4(11)" → provisions; a Dutch error names the first bad one."""
    provisions: list[Provision] = []
    for part in _SEPARATORS.split(text or ""):
        written = " ".join(part.split()).strip(" .")
        if not written:
            continue
        match = _DUTCH_PROVISION.match(written)
        if not match:
            raise CardError(
                f"'{written}' is geen bepaling van de AVG. Schrijf bijvoorbeeld 33(1), 6(1)(f) of "
                "art. 33 lid 1."
            )
        article, paragraph, point = match.groups()
        if not 1 <= int(article) <= AVG_ARTICLES:
            raise CardError(f"Artikel {article} bestaat niet in de AVG (artikel 1 tot en met 99).")
        provision = Provision(str(int(article)), paragraph or "", (point or "").lower())
        if provision not in provisions:
            provisions.append(provision)
    return tuple(provisions)


def lines_of(text: str) -> tuple[str, ...]:
    """Non-empty lines, whitespace collapsed (variants and steps are written one per line)."""
    return tuple(" ".join(line.split()) for line in (text or "").splitlines() if line.strip())


@dataclass(frozen=True)
class CardForm:
    """What a kennisbeheerder typed: every list as text, one item per line (provisions also by comma)."""

    question: str
    short_answer: str
    variants: str = ""
    steps: str = ""
    provisions: str = ""
    owner: str = ""
    date: str = ""

    @classmethod
    def of(cls, card: AnswerCard) -> CardForm:
        """The form filled with a stored card."""
        return cls(
            question=card.question,
            short_answer=card.short_answer,
            variants="\n".join(card.variants),
            steps="\n".join(card.steps),
            provisions=", ".join(str(p) for p in card.provisions),
            owner=card.owner,
            date=card.date,
        )


class CardService:
    """Create, edit, validate and retire answer cards; the matcher follows at once."""

    def __init__(
        self,
        store: CardStore,
        matcher: CardMatcher,
        audit: AuditLog,
        queue: UnansweredService | None = None,
        today: type[date] = date,
    ) -> None:
        self.store = store
        self.matcher = matcher
        self.audit = audit
        self.queue = queue
        self.today = today

    def list(  # noqa: A003
        self, user: User, search: str = "", status: str = "", include_retired: bool = True
    ) -> list[AnswerCard]:
        """Cards whose question, variants or short answer hold ``search``, with ``status`` if given."""
        require(user, Permission.MANAGE_CARDS)
        words = (search or "").lower().split()
        cards = self.store.list(include_retired=include_retired or status == RETIRED)
        return [
            c
            for c in cards
            if (not status or c.status == status)
            and all(w in " ".join((*c.phrasings, c.short_answer)).lower() for w in words)
        ]

    def get(self, user: User, card_id: int) -> AnswerCard:
        """One card."""
        require(user, Permission.MANAGE_CARDS)
        return self.store.get(int(card_id))

    def save(
        self,
        user: User,
        form: CardForm,
        card_id: int = 0,
        status: str | None = None,
        from_item: int | None = None,
    ) -> AnswerCard:
        """Store a new card (``card_id`` 0) or a changed one; ``status`` None keeps it (new: concept).

        With ``from_item`` the queue item the card was written for is marked handled.
        """
        require(user, Permission.MANAGE_CARDS)
        if from_item is not None and self.queue is not None:
            self.queue.item(user, from_item)  # the user may see it; checked before anything changes
        old = self.store.get(int(card_id)) if card_id else None
        chosen = status or (old.status if old else CONCEPT)
        if chosen not in STATUSES:
            raise CardError(f"Onbekende status '{chosen}'. Kies uit: {', '.join(STATUSES)}.")
        card = AnswerCard(
            question=" ".join((form.question or "").split()),
            short_answer=(form.short_answer or "").strip(),
            variants=lines_of(form.variants),
            steps=lines_of(form.steps),
            provisions=parse_provisions(form.provisions),
            status=chosen,
            owner=(form.owner or "").strip() or user.username,
            date=_date(form.date, self.today.today()),
            id=old.id if old else 0,
            source_key=old.source_key if old else "",
        )
        saved = self.store.save(card, user.username)
        self.matcher.warm()  # embed the new phrasings now: the next question finds the card
        action = "aangemaakt" if old is None else _action(old.status, saved.status)
        self.audit.record(
            user.username, CARD_EVENT, scope=GENERAL_SCOPE, action=action, card=saved.id, status=saved.status
        )
        if from_item is not None and self.queue is not None:
            self.queue.dismiss(user, from_item, card_id=saved.id)
        return saved

    def validate(self, user: User, card_id: int) -> AnswerCard:
        """Mark a stored card validated (dated today)."""
        return self._set_status(user, card_id, VALIDATED)

    def retire(self, user: User, card_id: int) -> AnswerCard:
        """Take a card out of answering; it stays listed as "ingetrokken"."""
        return self._set_status(user, card_id, RETIRED)

    def _set_status(self, user: User, card_id: int, status: str) -> AnswerCard:
        require(user, Permission.MANAGE_CARDS)
        card = self.store.get(int(card_id))
        form = replace(CardForm.of(card), date=self.today.today().isoformat())
        return self.save(user, form, card.id, status)


def _date(text: str, today: date) -> str:
    """The card's date as JJJJ-MM-DD; empty means today."""
    text = (text or "").strip()
    if not text:
        return today.isoformat()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise CardError(f"'{text}' is geen datum; schrijf JJJJ-MM-DD.") from exc


def _action(before: str, after: str) -> str:
    if before != after and after == VALIDATED:
        return "gevalideerd"
    if before != after and after == RETIRED:
        return "ingetrokken"
    return "gewijzigd"
