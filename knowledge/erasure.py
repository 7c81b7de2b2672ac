"""Erasure down to the bytes on disk: after deleting rows, make sure the text is gone from the files.

Deleting a row is not enough for the right to erasure:

* SQLite keeps deleted content in free pages and in its WAL file; our connection runs with
  ``secure_delete`` (freed content is overwritten) and the WAL is checkpointed and truncated.
* FTS5 keeps deleted terms in its index segments until they are merged; ``optimize``
  rewrites the scope's index without them.
* Chroma's embedded store keeps every write in its log table (``embeddings_queue``, text
  included) until its vector index is persisted, and deleted rows in free pages. For the
  erased chunk ids the log's copy of text and metadata is cleared (the vector, which the
  index may still need to replay, stays), then the file is vacuumed; folders of vector
  segments whose collection was dropped are removed.

A Chroma *server* keeps its files to itself: there the text leaves Chroma's log when the
server purges it, and its free pages on ``chroma utils vacuum`` (see the docs).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from chromadb.api import ClientAPI

from knowledge.database import Database

_CHROMA_DELETE_OPERATION = 3
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_BATCH = 500


def forget_embeddings(conn: sqlite3.Connection, doc_ids: Iterable[str], extra_hashes: Iterable[str]) -> int:
    """Delete cached embeddings of the texts of ``doc_ids`` that no other document uses, inside ``conn``.

    Call before the documents' version snapshots are deleted; ``extra_hashes`` are text hashes
    known otherwise (chunks of documents indexed before snapshots existed).
    """
    ids = sorted(set(doc_ids))
    hashes = set(extra_hashes)
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        marks = ",".join("?" for _ in batch)
        hashes.update(
            r["text_hash"]
            for r in conn.execute(
                f"SELECT DISTINCT text_hash FROM version_chunks WHERE doc_id IN ({marks})", batch
            )
        )
    removed = 0
    ordered = sorted(hashes)
    for start in range(0, len(ordered), _BATCH):
        batch = ordered[start : start + _BATCH]
        marks = ",".join("?" for _ in batch)
        id_marks = ",".join("?" for _ in ids) or "''"
        used = {
            r["text_hash"]
            for r in conn.execute(
                f"SELECT DISTINCT text_hash FROM version_chunks WHERE text_hash IN ({marks})"
                f" AND doc_id NOT IN ({id_marks})",
                (*batch, *ids),
            )
        }
        unused = [h for h in batch if h not in used]
        if unused:
            cursor = conn.execute(
                f"DELETE FROM embedding_cache WHERE text_hash IN ({','.join('?' for _ in unused)})", unused
            )
            removed += cursor.rowcount
    return removed


def use_secure_delete(db: Database) -> None:
    """Let SQLite overwrite deleted content on this connection."""
    db.query("PRAGMA secure_delete = ON")


def compact_database(db: Database, lexical_tables: Iterable[str]) -> None:
    """Merge FTS5 segments of the given tables and truncate the WAL, so deleted text leaves the files."""
    existing = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in lexical_tables:
        if table in existing:
            with db.transaction() as conn:
                conn.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")
    db.query("PRAGMA wal_checkpoint(TRUNCATE)")


def embedded_chroma_dir(client: ClientAPI) -> Path | None:
    """The folder of an embedded Chroma store, None for a Chroma server."""
    try:
        settings = client.get_settings()
    except Exception:  # noqa: BLE001 - a client without settings is treated as remote
        return None
    if not settings.is_persistent or not settings.persist_directory:
        return None
    return Path(settings.persist_directory)


def compact_chroma(folder: Path, doc_ids: Iterable[str]) -> bool:
    """Clear erased documents' text from the embedded store's log, vacuum it and drop orphan segments.

    Returns False when the store could not be compacted (then the text is still unreachable
    through Chroma, but may remain in the file until the next successful compaction).
    """
    path = folder / "chroma.sqlite3"
    if not path.exists():
        return True
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA secure_delete = ON")
        with contextlib.suppress(sqlite3.Error):  # another Chroma release may lay out its log differently
            for doc_id in sorted(set(doc_ids)):
                prefix = f"{doc_id}:"
                conn.execute(
                    "UPDATE embeddings_queue SET metadata = NULL"
                    " WHERE substr(id, 1, ?) = ? AND operation != ?",
                    (len(prefix), prefix, _CHROMA_DELETE_OPERATION),
                )
        conn.execute("VACUUM")
        segments = {r[0] for r in conn.execute("SELECT id FROM segments")}
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    for child in folder.iterdir():
        if child.is_dir() and _SEGMENT_DIR.match(child.name) and child.name not in segments:
            shutil.rmtree(child, ignore_errors=True)
    return True
