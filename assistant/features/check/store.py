"""Stored Compliancy Check runs and their proposed answers, in ``AVG_DATA_DIR/compliancy.sqlite3``.

Runs are never changed after they are stored: the consultant's review lives in the review
log (:mod:`assistant.features.check.review`) in the same file, so the proposal and every review step
stay visible side by side. The exceptions are the lifecycle's: a deleted client's runs go, and
text quoted from an erased document is replaced by ``[verwijderd document]``. Each call opens a
short-lived connection.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.features.check.model import CheckAnswer, CheckRun
from assistant.features.lifecycle import ERASED_DOCUMENT
from ingestion.errors import AvgError
from knowledge.database import create_store, scrub_store, short_transaction
from knowledge.migrations import Migrations, script
from knowledge.records import stamp, unstamp

STORE_FILE = "compliancy.sqlite3"
ANSWER_VERSION = 1  # of the JSON in check_answers.answer_json

_SCHEMA = """
CREATE TABLE IF NOT EXISTS check_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    checklist_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    used_llm INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS check_runs_by_client ON check_runs (client, id);
CREATE TABLE IF NOT EXISTS check_answers (
    run_id INTEGER NOT NULL REFERENCES check_runs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    PRIMARY KEY (run_id, question_id)
);
"""
MIGRATIONS = Migrations("check_runs", [script("base_schema", _SCHEMA)])


def _answer(text: str) -> dict[str, Any]:
    return unstamp(json.loads(text), ANSWER_VERSION, "antwoord van de Compliancy Check")


class CheckNotFoundError(AvgError):
    """No check (run) exists for what was asked."""


class CheckStore:
    """Check runs per client, newest last."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_store(path, MIGRATIONS, wal=False)

    def save(
        self, client: str, checklist_version: int, created_by: str, answers: list[CheckAnswer], used_llm: bool
    ) -> CheckRun:
        """Store a finished run and return it with its id."""
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        with short_transaction(self.path, immediate=True) as conn:
            cursor = conn.execute(
                "INSERT INTO check_runs (client, checklist_version, created_at, created_by, used_llm) "
                "VALUES (?, ?, ?, ?, ?)",
                (client, checklist_version, created_at, created_by, int(used_llm)),
            )
            run_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO check_answers (run_id, position, question_id, answer_json) VALUES (?, ?, ?, ?)",
                [
                    (
                        run_id,
                        i,
                        a.question_id,
                        json.dumps(stamp(a.to_json(), ANSWER_VERSION), ensure_ascii=False),
                    )
                    for i, a in enumerate(answers)
                ],
            )
        return CheckRun(run_id, client, checklist_version, created_at, created_by, answers, used_llm)

    def erase_client(self, client: str) -> int:
        """Delete the client's runs with their answers and review events."""
        with short_transaction(self.path, immediate=True) as conn:
            ids = [
                int(r["id"]) for r in conn.execute("SELECT id FROM check_runs WHERE client = ?", (client,))
            ]
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'review_events'").fetchone():
                subjects = [(f"check-run:{i}",) for i in ids]
                conn.executemany("DELETE FROM review_events WHERE subject = ?", subjects)
            conn.execute("DELETE FROM check_runs WHERE client = ?", (client,))
        scrub_store(self.path)
        return len(ids)

    def rename_client(self, old: str, new: str) -> None:
        """The client's runs belong to its new name."""
        with short_transaction(self.path, immediate=True) as conn:
            conn.execute("UPDATE check_runs SET client = ? WHERE client = ?", (new, old))

    def forget_document(self, doc_id: str, title: str) -> int:
        """Evidence quoted from the document is replaced, and so is the rationale built on it."""
        changed = 0
        with short_transaction(self.path, immediate=True) as conn:
            rows = conn.execute(  # candidates only; _from_document decides
                "SELECT run_id, question_id, answer_json FROM check_answers WHERE instr(answer_json, ?) > 0",
                (doc_id + ":",),
            ).fetchall()
            for row in rows:
                answer = json.loads(row["answer_json"])
                hits = [e for e in answer.get("evidence", []) if _from_document(e, doc_id)]
                if not hits:
                    continue
                for evidence in hits:
                    evidence.update(
                        document=ERASED_DOCUMENT, quote=ERASED_DOCUMENT, passage="", matched_terms=[]
                    )
                answer["rationale"] = (
                    f"{ERASED_DOCUMENT} Dit voorstel steunde op een document dat inmiddels is gewist; "
                    "beoordeel de vraag opnieuw."
                )
                conn.execute(
                    "UPDATE check_answers SET answer_json = ? WHERE run_id = ? AND question_id = ?",
                    (json.dumps(answer, ensure_ascii=False), row["run_id"], row["question_id"]),
                )
                changed += 1
        if changed:
            scrub_store(self.path)
        return changed

    def get(self, run_id: int) -> CheckRun:
        """The run with this id."""
        with short_transaction(self.path) as conn:
            row = conn.execute("SELECT * FROM check_runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise CheckNotFoundError(f"Check {run_id} bestaat niet.")
            answers = conn.execute(
                "SELECT answer_json FROM check_answers WHERE run_id = ? ORDER BY position", (run_id,)
            ).fetchall()
        return CheckRun(
            id=int(row["id"]),
            client=row["client"],
            checklist_version=int(row["checklist_version"]),
            created_at=row["created_at"],
            created_by=row["created_by"],
            answers=[CheckAnswer.from_json(_answer(a["answer_json"])) for a in answers],
            used_llm=bool(row["used_llm"]),
        )

    def run_ids(self, client: str) -> list[int]:
        """Ids of the client's runs, oldest first."""
        with short_transaction(self.path) as conn:
            rows = conn.execute(
                "SELECT id FROM check_runs WHERE client = ? ORDER BY id", (client,)
            ).fetchall()
        return [int(r["id"]) for r in rows]

    def latest(self, client: str) -> CheckRun | None:
        """The client's newest run, None when there is none."""
        ids = self.run_ids(client)
        return self.get(ids[-1]) if ids else None

    def previous(self, run: CheckRun) -> CheckRun | None:
        """The client's run just before ``run``, None when ``run`` is the first."""
        earlier = [i for i in self.run_ids(run.client) if i < run.id]
        return self.get(earlier[-1]) if earlier else None

    def clients(self) -> list[str]:
        """Clients that have at least one run."""
        with short_transaction(self.path) as conn:
            rows = conn.execute("SELECT DISTINCT client FROM check_runs ORDER BY client").fetchall()
        return [r["client"] for r in rows]


def _from_document(evidence: dict[str, object], doc_id: str) -> bool:
    """Whether stored evidence comes from the document (its chunk ids start with the document id)."""
    return str(evidence.get("chunk_id", "")).startswith(doc_id + ":")
