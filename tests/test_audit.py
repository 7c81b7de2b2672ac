"""The audit log (append-only, filter, CSV export) and retention."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.features.audit.log import AuditError, AuditFilter, AuditLog, EventType
from assistant.features.audit.retention import Purgeable, purge_expired, run_retention
from assistant.features.chat.answering import Answer, Citation
from ingestion.errors import ConfigError
from knowledge.retrieval import ScoredChunk

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def log(tmp_path: Path, clock: Clock) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite3", clock=clock)


def test_rows_cannot_be_changed_or_deleted(log: AuditLog, tmp_path: Path):
    log.record("anna", EventType.LOGIN_SUCCEEDED)
    # through the log's own connection
    with log._connect() as conn, pytest.raises(sqlite3.IntegrityError, match="alleen worden aangevuld"):
        conn.execute("UPDATE audit_events SET user = 'bram'")
    with log._connect() as conn, pytest.raises(sqlite3.IntegrityError, match="alleen worden aangevuld"):
        conn.execute("DELETE FROM audit_events")
    # and through any other connection
    conn = sqlite3.connect(tmp_path / "audit.sqlite3")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE audit_events SET details = '{}'")
        conn.rollback()
        with pytest.raises(sqlite3.OperationalError, match="avg_audit_purge_allowed"):
            conn.execute("DELETE FROM audit_events WHERE id = 1")
        conn.rollback()
    finally:
        conn.close()
    assert [e.user for e in log.events()] == ["anna"]


def test_missing_triggers_are_restored_and_logged(log: AuditLog, tmp_path: Path):
    log.record("anna", EventType.LOGIN_SUCCEEDED)
    conn = sqlite3.connect(tmp_path / "audit.sqlite3", isolation_level=None)
    conn.execute("DROP TRIGGER audit_events_no_update")
    conn.close()
    reopened = AuditLog(tmp_path / "audit.sqlite3")
    assert reopened.events()[-1].event == EventType.PROTECTION_RESTORED
    with reopened._connect() as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE audit_events SET user = 'bram'")


def test_invalid_event_kind_is_refused(log: AuditLog):
    with pytest.raises(AuditError):
        log.record("anna", "Vraag; DROP TABLE")


def test_question_is_logged_without_answer_text(tmp_path: Path, clock: Clock):
    log = AuditLog(tmp_path / "audit.sqlite3", clock=clock)
    citation = Citation("art. 33 lid 1 AVG", "AVG", "33", "1", "", "AVG", "geheime quote", chunk_id="c1")
    source = ScoredChunk("c1", "geheime passage", {"doc_id": "doc-42", "scope": "algemeen"}, 1.0)
    answer = Answer("Wanneer melden?", "geheim antwoord", False, [citation], [source])
    event = log.log_question("anna", ["klant:Webshop Noord", "algemeen"], answer, question="Wanneer melden?")
    assert event.scope == "klant:Webshop Noord"
    assert event.details == {
        "refused": False,
        "scopes": ["klant:Webshop Noord", "algemeen"],
        "sources": [{"citation": "art. 33 lid 1 AVG", "doc_id": "doc-42", "scope": "algemeen"}],
    }
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("audit.sqlite3*"))
    for secret in (b"geheim antwoord", b"geheime quote", b"geheime passage", b"Wanneer melden"):
        assert secret not in raw
    with_text = AuditLog(tmp_path / "audit2.sqlite3", store_question_text=True)
    assert with_text.log_question("anna", ["algemeen"], answer, question="Wanneer?").details["question"] == (
        "Wanneer?"
    )


def test_filter_by_user_kind_and_date(log: AuditLog, clock: Clock):
    for day, who, kind in [
        (1, "anna", EventType.LOGIN_SUCCEEDED),
        (2, "anna", EventType.QUESTION),
        (3, "bram", EventType.QUESTION),
        (4, "bram", EventType.DRAFT),
        (5, "anna", EventType.APPROVAL),
    ]:
        clock.now = datetime(2025, 5, day, 10, tzinfo=UTC)
        log.record(who, kind, scope="klant:Webshop Noord" if kind != EventType.LOGIN_SUCCEEDED else "")
    assert [e.event for e in log.events(AuditFilter(user="anna"))] == [
        "inloggen_gelukt",
        "vraag",
        "goedkeuring",
    ]
    assert [e.user for e in log.events(AuditFilter(events=(EventType.QUESTION,)))] == ["anna", "bram"]
    window = AuditFilter(since=datetime(2025, 5, 2, tzinfo=UTC), until=datetime(2025, 5, 4, tzinfo=UTC))
    assert [e.at[:10] for e in log.events(window)] == ["2025-05-02", "2025-05-03"]
    assert [e.event for e in log.events(AuditFilter(scope="klant:Webshop Noord"), limit=2)] == [
        "concept",
        "goedkeuring",
    ]
    assert log.events(AuditFilter(user="' OR 1=1 --")) == []


def test_csv_export_defuses_formulas(log: AuditLog, tmp_path: Path):
    log.record("anna", EventType.DOCUMENT_CHANGED, scope="algemeen", title='=HYPERLINK("http://x")')
    log.record("=cmd|'/c calc'!A1", EventType.LOGIN_FAILED)
    target = tmp_path / "uit" / "audit.csv"
    assert log.export_csv(target) == 2
    assert target.stat().st_mode & 0o077 == 0
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["id", "tijdstip", "gebruiker", "gebeurtenis", "scope", "details"]
    assert rows[1][5].startswith('{"title": "=HYPERLINK')  # JSON text starts with {, harmless
    assert rows[2][2] == "'=cmd|'/c calc'!A1"
    assert log.export_csv_text(AuditFilter(user="anna")).count("\n") == 2


def test_purge_removes_only_old_rows_of_the_given_kinds(log: AuditLog, clock: Clock):
    clock.now = NOW - timedelta(days=100)
    log.record("anna", EventType.QUESTION)
    log.record("anna", EventType.LOGIN_SUCCEEDED)
    clock.now = NOW - timedelta(days=10)
    log.record("bram", EventType.QUESTION)
    clock.now = NOW
    assert log.purge_before(NOW - timedelta(days=90), [EventType.QUESTION]) == 1
    kinds = [(e.user, e.event) for e in log.events()]
    assert kinds == [("anna", "inloggen_gelukt"), ("bram", "vraag"), ("systeem", "opgeschoond")]
    assert log.purge_before(NOW - timedelta(days=90), [EventType.QUESTION]) == 0
    assert log.purge_before(NOW - timedelta(days=90)) == 1  # the old login
    assert [e.user for e in log.events() if e.event == EventType.QUESTION] == ["bram"]


class SqliteChats:
    """A minimal chat store with the retention protocol, as the conversation store implements it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE chats (id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL)")

    def add(self, at: datetime) -> None:
        with sqlite3.connect(self.path) as conn:
            conn.execute(
                "INSERT INTO chats (updated_at) VALUES (?)", (at.isoformat(timespec="microseconds"),)
            )

    def purge_before(self, cutoff: datetime) -> int:
        with sqlite3.connect(self.path) as conn:
            cursor = conn.execute(
                "DELETE FROM chats WHERE updated_at < ?", (cutoff.isoformat(timespec="microseconds"),)
            )
            return cursor.rowcount

    def count(self) -> int:
        with sqlite3.connect(self.path) as conn:
            return conn.execute("SELECT count(*) FROM chats").fetchone()[0]


def test_purge_expired_removes_only_old_rows(tmp_path: Path, log: AuditLog, clock: Clock):
    chats = SqliteChats(tmp_path / "chats.sqlite3")
    assert isinstance(chats, Purgeable)
    for age in (200, 91, 89, 1):
        chats.add(NOW - timedelta(days=age))
        clock.now = NOW - timedelta(days=age)
        log.record("anna", EventType.QUESTION)
        log.record("anna", EventType.APPROVAL)
    clock.now = NOW
    counts = run_retention(NOW, log, chats, days=90, audit_days=150)
    assert counts == {"gesprekken": 2, "vragen in het auditlog": 2, "overige auditregels": 1}
    assert chats.count() == 2
    left = [e for e in log.events() if e.event in (EventType.QUESTION, EventType.APPROVAL)]
    assert len([e for e in left if e.event == EventType.QUESTION]) == 2
    assert len([e for e in left if e.event == EventType.APPROVAL]) == 3
    assert min(e.at for e in left if e.event == EventType.QUESTION) >= (NOW - timedelta(days=90)).isoformat()
    assert purge_expired(NOW, 90, {"gesprekken": chats}) == {"gesprekken": 0}


def test_retention_refuses_nonsense_periods(log: AuditLog):
    with pytest.raises(ConfigError, match="minstens 1 dag"):
        purge_expired(NOW, 0, {"auditlog": log.purger()})
    with pytest.raises(ConfigError, match="korter"):
        run_retention(NOW, log, None, days=90, audit_days=30)
