"""The lexical index on real SQLite: documents are deleted through the row map, old indexes migrate."""

from __future__ import annotations

from pathlib import Path

from knowledge.database import Database
from knowledge.lexical_index import LexicalEntry, LexicalIndex

SCOPE = "algemeen"


def _entries(doc_id: str, texts: list[str]) -> list[LexicalEntry]:
    return [LexicalEntry(f"{doc_id}:{n}", doc_id, "Bewaartermijnen", text) for n, text in enumerate(texts)]


def _docs(index: LexicalIndex, stems: list[str]) -> set[str]:
    return {doc_id for _, doc_id, _ in index.search(SCOPE, stems, 50)}


def test_delete_document_removes_only_that_documents_rows(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    index = LexicalIndex(db)
    index.ensure_scope(SCOPE)
    with db.transaction() as conn:
        index.add(conn, SCOPE, _entries("a", ["sollicitatiebrieven vier weken", "camerabeelden vier weken"]))
        index.add(conn, SCOPE, _entries("b", ["sollicitatiebrieven een jaar met toestemming"]))
    assert _docs(index, ["sollicitatiebrief"]) == {"a", "b"}

    with db.transaction() as conn:
        index.delete_document(conn, SCOPE, "a")
    assert index.chunk_count(SCOPE) == 1
    assert _docs(index, ["sollicitatiebrief", "camerabeel"]) == {"b"}
    # New rows after a deletion get fresh row ids and stay deletable.
    with db.transaction() as conn:
        index.add(conn, SCOPE, _entries("c", ["camerabeelden vier weken"]))
        index.delete_document(conn, SCOPE, "b")
    assert _docs(index, ["sollicitatiebrief", "camerabeel"]) == {"c"}
    db.close()


def test_index_from_before_the_row_map_is_migrated(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    index = LexicalIndex(db)
    index.ensure_scope(SCOPE)
    with db.transaction() as conn:
        index.add(conn, SCOPE, _entries("oud", ["bewaartermijn personeelsdossier twee jaar"]))
        conn.execute("DROP TABLE lex_algemeen_rows")  # what an index of an earlier release looks like
    db.close()

    db = Database(tmp_path / "k.sqlite3")
    index = LexicalIndex(db)
    index.ensure_scope(SCOPE)
    with db.transaction() as conn:
        index.add(conn, SCOPE, _entries("nieuw", ["bewaartermijn sollicitatiebrieven"]))
        index.delete_document(conn, SCOPE, "oud")
    assert _docs(index, ["bewaartermijn"]) == {"nieuw"}
    db.close()


def test_copy_and_drop_scope_keep_the_row_map_consistent(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    index = LexicalIndex(db)
    index.ensure_scope(SCOPE)
    index.ensure_scope("klant:noord")
    with db.transaction() as conn:
        index.add(conn, SCOPE, _entries("a", ["verwerkersovereenkomst hostingpartij"]))
        index.add(conn, "klant:noord", _entries("b", ["verwerkersovereenkomst salarisverwerker"]))
        index.copy_scope(conn, "klant:noord", SCOPE)
        index.drop_tables(conn, "klant:noord")
    index.forget("klant:noord")
    assert _docs(index, ["verwerkersovereenkomst"]) == {"a", "b"}
    with db.transaction() as conn:
        index.delete_document(conn, SCOPE, "b")
    assert _docs(index, ["verwerkersovereenkomst"]) == {"a"}
    tables = {r["name"] for r in db.query("SELECT name FROM sqlite_master")}
    assert not any(name.startswith("lex_klant") for name in tables)
    db.close()


def test_scope_dropped_by_another_process_is_recreated(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    ours, theirs = Database(path), Database(path)
    index = LexicalIndex(ours)
    index.ensure_scope("klant:noord")
    LexicalIndex(theirs).drop_scope("klant:noord")  # e.g. a client erased from another server process

    index.ensure_scope("klant:noord")
    assert index.search("klant:noord", ["verwerkersovereenkomst"], 5) == []
    assert index.chunk_count("klant:noord") == 0
    ours.close()
    theirs.close()
