"""Review of privacyverklaring drafts: statuses, versions, diffs, comments, audit and staleness.

::

    concept ──submit──► ter_beoordeling ──approve──► goedgekeurd ──(register/bron gewijzigd)──► verouderd
       ▲                   │    │                        │                                      │
       │                   │    └──reject──► afgewezen   │                                      │
       └──withdraw─────────┘                  │          │                                      │
       └──────────── new version (edit, regenerate) ◄────┴──────────────────────────────────────┘

A version is immutable: editing a section or regenerating from the register adds a version
(and puts the draft back to concept). Each version keeps the register facts and the hashes of
the documents it was built from, so an approved draft can tell what changed since.
"""

from __future__ import annotations

import builtins
import difflib
import json
import sqlite3
from dataclasses import dataclass, replace

from assistant.features.privacy.errors import ReviewError
from assistant.features.privacy.facts import fact_changes, facts_hash
from assistant.features.privacy.statement import Draft
from assistant.features.privacy.store import PrivacyDatabase, RegisterTrail, now
from knowledge.records import stamp, unstamp

DRAFT_VERSION = 1  # of the JSON in draft_versions.content
CONCEPT = "concept"
IN_REVIEW = "ter_beoordeling"
APPROVED = "goedgekeurd"
REJECTED = "afgewezen"
STALE = "verouderd"
STATUS_LABELS: dict[str, str] = {
    CONCEPT: "concept",
    IN_REVIEW: "ter beoordeling",
    APPROVED: "goedgekeurd",
    REJECTED: "afgewezen",
    STALE: "verouderd",
}


@dataclass(frozen=True)
class DraftRecord:
    """A draft's current state."""

    id: int
    client: str
    title: str
    status: str
    version: int
    approved_version: int
    stale_reasons: list[str]
    created_by: str
    created_at: str
    updated_at: str

    @property
    def status_label(self) -> str:
        """The Dutch status label."""
        return STATUS_LABELS[self.status]

    @property
    def subject(self) -> str:
        """The audit subject of this draft."""
        return subject(self.id)


@dataclass(frozen=True)
class VersionInfo:
    """A stored version without its content."""

    number: int
    created_by: str
    created_at: str
    note: str


@dataclass(frozen=True)
class Comment:
    """A reviewer's comment on one section of one version."""

    id: int
    draft_id: int
    version: int
    section: str
    author: str
    text: str
    created_at: str


@dataclass(frozen=True)
class SectionDiff:
    """How one section differs between two versions."""

    key: str
    title: str
    change: str  # "gelijk", "gewijzigd", "nieuw", "verwijderd"
    lines: list[str]


@dataclass(frozen=True)
class Staleness:
    """What changed since the version a draft was built from."""

    register_changes: list[str]
    source_changes: list[str]

    @property
    def stale(self) -> bool:
        """True when anything changed."""
        return bool(self.register_changes or self.source_changes)

    def reasons(self) -> list[str]:
        """All changes as Dutch lines."""
        return [*self.register_changes, *self.source_changes]


def subject(draft_id: int) -> str:
    """The audit subject of a draft: "concept 3"."""
    return f"concept {draft_id}"


class ReviewService:
    """Drafts, their versions and the review workflow, stored in the register database."""

    def __init__(self, db: PrivacyDatabase, four_eyes: bool = False) -> None:
        self.db = db
        self.audit = RegisterTrail(db)
        self.four_eyes = four_eyes

    def create(self, draft: Draft, actor: str, note: str = "gegenereerd uit het register") -> DraftRecord:
        """Store a new draft as version 1 (status concept)."""
        stamp = now()
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO drafts (client, title, status, created_by, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (draft.client, draft.title, CONCEPT, actor, stamp, stamp),
            )
            draft_id = int(cursor.lastrowid or 0)
            _insert_version(conn, draft_id, 1, draft, actor, note)
            RegisterTrail.record(conn, actor, draft.client, "concept aangemaakt", subject(draft_id), note)
        return self.get(draft_id)

    def get(self, draft_id: int) -> DraftRecord:
        """The draft's current state; raises :class:`ReviewError` when it does not exist."""
        rows = self.db.query(
            "SELECT d.*, (SELECT MAX(number) FROM draft_versions v WHERE v.draft_id = d.id) AS version "
            "FROM drafts d WHERE d.id = ?",
            (draft_id,),
        )
        if not rows:
            raise ReviewError(f"Concept {draft_id} bestaat niet.")
        return _record(rows[0])

    def list(self, client: str | None = None) -> list[DraftRecord]:
        """All drafts (of one client), newest first."""
        sql = (
            "SELECT d.*, (SELECT MAX(number) FROM draft_versions v WHERE v.draft_id = d.id) AS version "
            "FROM drafts d"
        )
        rows = (
            self.db.query(sql + " WHERE client = ? ORDER BY id DESC", (client,))
            if client
            else self.db.query(sql + " ORDER BY id DESC")
        )
        return [_record(r) for r in rows]

    def version(self, draft_id: int, number: int | None = None) -> Draft:
        """The content of a version (the latest when ``number`` is None)."""
        record = self.get(draft_id)
        number = number or record.version
        rows = self.db.query(
            "SELECT content FROM draft_versions WHERE draft_id = ? AND number = ?", (draft_id, number)
        )
        if not rows:
            raise ReviewError(f"Concept {draft_id} heeft geen versie {number}.")
        return Draft.from_dict(unstamp(json.loads(rows[0]["content"]), DRAFT_VERSION, "privacyverklaring"))

    def versions(self, draft_id: int) -> builtins.list[VersionInfo]:
        """All versions of a draft, oldest first."""
        self.get(draft_id)
        rows = self.db.query(
            "SELECT number, created_by, created_at, note FROM draft_versions "
            "WHERE draft_id = ? ORDER BY number",
            (draft_id,),
        )
        return [VersionInfo(r["number"], r["created_by"], r["created_at"], r["note"]) for r in rows]

    def add_version(self, draft_id: int, draft: Draft, actor: str, note: str) -> DraftRecord:
        """Store ``draft`` as the next version; the draft goes back to concept."""
        record = self.get(draft_id)
        if record.status == IN_REVIEW:
            raise ReviewError(
                f"Concept {draft_id} is ter beoordeling en kan niet worden gewijzigd; "
                "trek de beoordeling eerst in."
            )
        with self.db.transaction() as conn:
            _insert_version(conn, draft_id, record.version + 1, draft, actor, note)
            conn.execute(
                "UPDATE drafts SET status = ?, title = ?, stale_reasons = '[]', updated_at = ? WHERE id = ?",
                (CONCEPT, draft.title, now(), draft_id),
            )
            RegisterTrail.record(
                conn,
                actor,
                record.client,
                "nieuwe versie",
                subject(draft_id),
                f"versie {record.version + 1}: {note}",
            )
        return self.get(draft_id)

    def edit_section(self, draft_id: int, key: str, text: str, actor: str) -> DraftRecord:
        """A new version with section ``key`` replaced by ``text`` (a consultant's edit)."""
        current = self.version(draft_id)
        section = current.section(key)
        if section is None:
            raise ReviewError(f"Het concept heeft geen onderdeel '{key}'.")
        text = text.strip()
        if not text:
            raise ReviewError("De tekst van een onderdeel mag niet leeg zijn.")
        sections = [
            replace(s, text=text, notice="", polished=False) if s.key == key else s for s in current.sections
        ]
        return self.add_version(
            draft_id, replace(current, sections=sections), actor, f"onderdeel '{section.title}' bewerkt"
        )

    def submit(self, draft_id: int, actor: str) -> DraftRecord:
        """concept → ter beoordeling."""
        return self._move(draft_id, actor, {CONCEPT}, IN_REVIEW, "ter beoordeling aangeboden")

    def withdraw(self, draft_id: int, actor: str) -> DraftRecord:
        """ter beoordeling → concept."""
        return self._move(draft_id, actor, {IN_REVIEW}, CONCEPT, "beoordeling ingetrokken")

    def approve(self, draft_id: int, actor: str, note: str = "") -> DraftRecord:
        """ter beoordeling → goedgekeurd (the current version is the approved one)."""
        record = self.get(draft_id)
        gaps = self.version(draft_id, record.version).open_gaps() if record.status == IN_REVIEW else []
        if gaps:
            total = sum(n for _, n in gaps)
            where = ", ".join(f"'{title}' ({n})" for title, n in gaps)
            raise ReviewError(
                f"Goedkeuren kan niet: er staan nog {total} open plek(ken) [AANVULLEN: …] in versie "
                f"{record.version}, in: {where}. Vul het register aan en genereer opnieuw, of bewerk die "
                "onderdelen."
            )
        if self.four_eyes and actor == self._author(draft_id, record.version):
            raise ReviewError(
                "Een ander dan de opsteller van deze versie moet het concept goedkeuren (vier ogen)."
            )
        return self._move(draft_id, actor, {IN_REVIEW}, APPROVED, "goedgekeurd", note, approve=True)

    def reject(self, draft_id: int, actor: str, reason: str) -> DraftRecord:
        """ter beoordeling → afgewezen; a reason is required."""
        if not reason.strip():
            raise ReviewError("Geef een reden op bij het afwijzen.")
        return self._move(draft_id, actor, {IN_REVIEW}, REJECTED, "afgewezen", reason.strip())

    def comment(self, draft_id: int, section: str, author: str, text: str) -> Comment:
        """Add a comment to a section of the current version."""
        record = self.get(draft_id)
        if not text.strip():
            raise ReviewError("Een opmerking mag niet leeg zijn.")
        draft = self.version(draft_id)
        if section and draft.section(section) is None:
            raise ReviewError(f"Het concept heeft geen onderdeel '{section}'.")
        stamp = now()
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO comments (draft_id, version, section, author, text, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (draft_id, record.version, section, author, text.strip(), stamp),
            )
            RegisterTrail.record(
                conn, author, record.client, "opmerking", subject(draft_id), f"{section}: {text.strip()}"
            )
        return Comment(
            int(cursor.lastrowid or 0), draft_id, record.version, section, author, text.strip(), stamp
        )

    def comments(self, draft_id: int, section: str | None = None) -> builtins.list[Comment]:
        """Comments on a draft (optionally one section), oldest first."""
        sql = "SELECT * FROM comments WHERE draft_id = ?"
        params: tuple[object, ...] = (draft_id,)
        if section is not None:
            sql += " AND section = ?"
            params = (draft_id, section)
        rows = self.db.query(sql + " ORDER BY id", params)
        return [
            Comment(
                r["id"], r["draft_id"], r["version"], r["section"], r["author"], r["text"], r["created_at"]
            )
            for r in rows
        ]

    def diff(self, draft_id: int, old: int, new: int) -> builtins.list[SectionDiff]:
        """Per section, a unified diff from version ``old`` to version ``new``."""
        before = self.version(draft_id, old)
        after = self.version(draft_id, new)
        return diff_drafts(before, after, f"versie {old}", f"versie {new}")

    def staleness(
        self, draft_id: int, facts: builtins.list[str], current_hashes: dict[str, str] | None
    ) -> Staleness:
        """What changed in register (``facts``) and cited documents since the approved (else latest) version.

        ``current_hashes`` None means the documents cannot be checked now (no knowledge base open).
        """
        record = self.get(draft_id)
        base = self.version(draft_id, record.approved_version or record.version)
        register_changes = fact_changes(base.facts, facts) if facts_hash(facts) != base.facts_hash else []
        source_changes: list[str] = []
        checked = base.sources if current_hashes is not None else {}
        for doc_id, info in checked.items():
            now_hash = (current_hashes or {}).get(doc_id)
            if now_hash is None:
                source_changes.append(f"Bron verwijderd: {info.get('document', doc_id)}")
            elif now_hash != info.get("hash"):
                source_changes.append(f"Bron gewijzigd: {info.get('document', doc_id)}")
        return Staleness(register_changes, source_changes)

    def refresh_staleness(
        self,
        draft_id: int,
        facts: builtins.list[str],
        current_hashes: dict[str, str] | None,
        actor: str = "systeem",
    ) -> DraftRecord:
        """Mark an approved draft "verouderd" when its register facts or cited documents changed.

        A stale draft whose register and documents are back to what was approved is approved again
        (the approved text is accurate once more). Without ``current_hashes`` the document part of
        the earlier reasons is kept as it was.
        """
        record = self.get(draft_id)
        current = self.current_state(record, facts, current_hashes)
        if current == record:
            return record
        reasons = current.stale_reasons
        action = "verouderd" if current.status == STALE else "weer actueel"
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE drafts SET status = ?, stale_reasons = ?, updated_at = ? WHERE id = ?",
                (current.status, json.dumps(reasons, ensure_ascii=False), now(), draft_id),
            )
            if current.status != record.status:
                RegisterTrail.record(
                    conn, actor, record.client, action, subject(draft_id), "; ".join(reasons)
                )
        return self.get(draft_id)

    def current_state(
        self, record: DraftRecord, facts: builtins.list[str], current_hashes: dict[str, str] | None
    ) -> DraftRecord:
        """The record with the status and reasons it has now ("verouderd" or approved again).

        Pure: nothing is written, so listing or opening a draft changes no row, date or trail;
        :meth:`refresh_staleness` stores the result. Only approved and stale drafts change.
        """
        if record.status not in (APPROVED, STALE):
            return record
        staleness = self.staleness(record.id, facts, current_hashes)
        reasons = staleness.reasons()
        if current_hashes is None:
            reasons = staleness.register_changes + [r for r in record.stale_reasons if r.startswith("Bron ")]
        return replace(record, status=STALE if reasons else APPROVED, stale_reasons=reasons)

    def _author(self, draft_id: int, number: int) -> str:
        rows = self.db.query(
            "SELECT created_by FROM draft_versions WHERE draft_id = ? AND number = ?", (draft_id, number)
        )
        return str(rows[0]["created_by"]) if rows else ""

    def _move(
        self,
        draft_id: int,
        actor: str,
        allowed: set[str],
        target: str,
        action: str,
        note: str = "",
        approve: bool = False,
    ) -> DraftRecord:
        record = self.get(draft_id)
        if record.status not in allowed:
            expected = " of ".join(STATUS_LABELS[s] for s in sorted(allowed))
            raise ReviewError(
                f"Concept {draft_id} is {record.status_label}; deze stap kan alleen als het {expected} is."
            )
        with self.db.transaction() as conn:
            if approve:
                conn.execute(
                    "UPDATE drafts SET status = ?, approved_version = ?, updated_at = ? WHERE id = ?",
                    (target, record.version, now(), draft_id),
                )
            else:
                conn.execute(
                    "UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?", (target, now(), draft_id)
                )
            detail = f"versie {record.version}" + (f": {note}" if note else "")
            RegisterTrail.record(conn, actor, record.client, action, subject(draft_id), detail)
        return self.get(draft_id)


def diff_drafts(
    before: Draft, after: Draft, old_label: str = "oud", new_label: str = "nieuw"
) -> list[SectionDiff]:
    """Per section (in the new order, removed ones last), what changed between two drafts."""
    old_sections = {s.key: s for s in before.sections}
    new_sections = {s.key: s for s in after.sections}
    diffs: list[SectionDiff] = []
    for key, section in new_sections.items():
        old = old_sections.get(key)
        if old is None:
            diffs.append(
                SectionDiff(key, section.title, "nieuw", [f"+{line}" for line in section.text.split("\n")])
            )
            continue
        lines = list(
            difflib.unified_diff(
                old.text.split("\n"), section.text.split("\n"), old_label, new_label, lineterm="", n=1
            )
        )
        diffs.append(SectionDiff(key, section.title, "gewijzigd" if lines else "gelijk", lines))
    for key, section in old_sections.items():
        if key not in new_sections:
            diffs.append(
                SectionDiff(
                    key, section.title, "verwijderd", [f"-{line}" for line in section.text.split("\n")]
                )
            )
    return diffs


def _insert_version(
    conn: sqlite3.Connection, draft_id: int, number: int, draft: Draft, actor: str, note: str
) -> None:
    conn.execute(
        "INSERT INTO draft_versions (draft_id, number, content, facts_hash, created_by, created_at, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            draft_id,
            number,
            json.dumps(stamp(draft.to_dict(), DRAFT_VERSION), ensure_ascii=False),
            draft.facts_hash,
            actor,
            now(),
            note,
        ),
    )


def _record(row: sqlite3.Row) -> DraftRecord:
    return DraftRecord(
        id=row["id"],
        client=row["client"],
        title=row["title"],
        status=row["status"],
        version=int(row["version"] or 0),
        approved_version=int(row["approved_version"]),
        stale_reasons=json.loads(row["stale_reasons"]),
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
