"""Whole-scope operations: re-index from stored chunks, move a scope (client rename), drop a scope.

Re-indexing rebuilds what can be derived from the version snapshots: vectors (through the
embedding cache, so unchanged text is not embedded again) and lexical entries of every
ready document. Documents from older releases without a snapshot get one from their
vectors first. Each scope's vector collection is built anew: the stored vectors are kept in
the embedding cache, the collection is dropped and re-created, and the store is compacted,
so index files written before the freed-memory fix (:mod:`knowledge.freed_memory`), whose
unused capacity could hold fragments of erased text, are replaced. ``pending_rebuilds``
notes a scope while its collection is rebuilt; :meth:`KnowledgeBase.recover` finishes an
interrupted rebuild. A scope with a document that has neither snapshot nor vectors, or with
a write in progress in another process, is refilled in place instead (vectors no ready
document owns are deleted), so nothing is lost.

Moving a scope copies vectors into the new scope's collection first (invisible there: no
ready document of that scope owns them), then moves lexical entries, registry rows and
versions in one transaction, then drops the old collection. A crash leaves the old scope
intact or the new one complete; a retry starts over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ingestion.errors import StoreError
from knowledge.clients import client_name
from knowledge.embedding_cache import text_hash
from knowledge.erasure import forget_embeddings
from knowledge.knowledge_base import WHOLE_SCOPE, KnowledgeBase, lexical_entry
from knowledge.registry import STATUS_READY, DocumentRecord
from knowledge.scopes import GENERAL_SCOPE, normalize_scope
from knowledge.versions import StoredChunk

_PAGE = 1000


@dataclass
class ReindexReport:
    """What a re-index rebuilt."""

    scopes: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    orphans_removed: int = 0
    snapshots_made: int = 0
    missing: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A Dutch summary for the user."""
        lines = [
            f"Opnieuw geïndexeerd: {self.documents} document(en), {self.chunks} passages "
            f"in {', '.join(self.scopes) or 'geen scope'}",
            f"Losse vectoren verwijderd: {self.orphans_removed}",
        ]
        if self.rebuilt:
            lines.append(f"Vectorindex vers opgebouwd: {', '.join(self.rebuilt)}")
        in_place = [s for s in self.scopes if s not in self.rebuilt]
        if in_place:
            lines.append(f"Vectorindex ter plaatse bijgewerkt: {', '.join(in_place)}")
        if self.snapshots_made:
            lines.append(f"Versie-opslag aangevuld voor {self.snapshots_made} oudere document(en)")
        lines += [f"  - niet te herstellen (inlezen opnieuw nodig): {title}" for title in self.missing]
        return "\n".join(lines)


Progress = Callable[[int, int], None]
"""Called with (documents done, documents in all) while vectors are written."""


def reindex(
    kb: KnowledgeBase, scope: str | None = None, on_progress: Progress | None = None
) -> ReindexReport:
    """Rebuild vectors and lexical entries of the current versions in one scope or all scopes."""
    with kb.write_lock:
        return _reindex(kb, scope, on_progress)


def _reindex(kb: KnowledgeBase, scope: str | None, on_progress: Progress | None) -> ReindexReport:
    kb.recover()
    if scope is not None:
        scopes = [normalize_scope(scope)]
    else:
        scopes = sorted({r.scope for r in kb.registry.list()} | {GENERAL_SCOPE})
    report = ReindexReport(scopes=scopes)
    total = sum(len(kb.registry.list(scope=name, status=STATUS_READY)) for name in scopes)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, total)

    for name in scopes:
        _reindex_scope(kb, kb.ensure_scope(name), report, tick)
    return report


def finish_rebuilds(kb: KnowledgeBase) -> list[str]:
    """Finish collection rebuilds an interruption left in ``pending_rebuilds``; return their scopes."""
    with kb.write_lock:
        scopes = [r["scope"] for r in kb.db.query("SELECT scope FROM pending_rebuilds ORDER BY scope")]
        for scope in scopes:
            _reindex_scope(kb, kb.ensure_scope(scope), ReindexReport(scopes=[scope]), lambda: None)
        return scopes


def _reindex_scope(
    kb: KnowledgeBase,
    scope: str,
    report: ReindexReport,
    tick: Callable[[], None],
) -> None:
    documents: list[tuple[DocumentRecord, list[StoredChunk]]] = []
    missing_ids: list[str] = []
    for record in kb.registry.list(scope=scope, status=STATUS_READY):
        chunks = kb.versions.chunks(record.id, record.version) or _snapshot_from_vectors(kb, record, report)
        if chunks:
            documents.append((record, chunks))
        else:
            report.missing.append(record.title)
            missing_ids.append(record.id)
            tick()  # nothing to write for it
    pending = {
        (r["doc_id"], r["content_hash"][:12])
        for r in kb.db.query("SELECT doc_id, content_hash FROM pending_vectors WHERE scope = ?", (scope,))
    }
    expected = {c.chunk_id for _, chunks in documents for c in chunks}
    if missing_ids or pending:
        _refill_collection(kb, scope, documents, expected, missing_ids, pending, report, tick)
    else:
        _rebuild_collection(kb, scope, documents, expected, report, tick)
        report.rebuilt.append(scope)
    entries = [
        lexical_entry(c.chunk_id, record.id, c.text, c.metadata)
        for record, chunks in documents
        for c in chunks
    ]
    with kb.db.transaction() as conn:
        kb.lexical.keep_only(conn, scope, missing_ids)
        kb.lexical.add(conn, scope, entries)
        kb.lexical.optimize(conn, scope)
        conn.execute("DELETE FROM pending_rebuilds WHERE scope = ?", (scope,))
    report.documents += len(documents)
    report.chunks += sum(len(chunks) for _, chunks in documents)


def _add_vectors(
    kb: KnowledgeBase,
    scope: str,
    documents: list[tuple[DocumentRecord, list[StoredChunk]]],
    tick: Callable[[], None],
) -> None:
    for _record, chunks in documents:
        texts = [c.text for c in chunks]
        metadatas = [{**c.metadata, "scope": scope} for c in chunks]
        kb.vectors.add(scope, [c.chunk_id for c in chunks], kb.embed_chunks(texts), texts, metadatas)
        tick()


def _rebuild_collection(
    kb: KnowledgeBase,
    scope: str,
    documents: list[tuple[DocumentRecord, list[StoredChunk]]],
    expected: set[str],
    report: ReindexReport,
    tick: Callable[[], None],
) -> None:
    """Drop the scope's collection and build it again from the snapshots, vectors from the cache."""
    for ids, texts, _, embeddings in _vector_pages(kb, scope):
        report.orphans_removed += sum(1 for i in ids if i not in expected)
        kept = [(t, v) for i, t, v in zip(ids, texts, embeddings, strict=False) if i in expected]
        if kept:  # vectors of an older release may predate the cache: keep them, embed nothing again
            kb.embedding_cache.keep([t for t, _ in kept], [v for _, v in kept])
    with kb.db.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO pending_rebuilds VALUES (?)", (scope,))
    kb.vectors.drop_scope(scope)
    kb.ensure_scope(scope)
    _add_vectors(kb, scope, documents, tick)
    kb.compact([], {scope})


def _refill_collection(
    kb: KnowledgeBase,
    scope: str,
    documents: list[tuple[DocumentRecord, list[StoredChunk]]],
    expected: set[str],
    missing_ids: list[str],
    pending: set[tuple[str, str]],
    report: ReindexReport,
    tick: Callable[[], None],
) -> None:
    """Re-add the snapshots' vectors in place and delete vectors no ready document owns."""
    _add_vectors(kb, scope, documents, tick)
    missing_prefixes = tuple(f"{doc_id}:" for doc_id in missing_ids)
    orphans = [
        i
        for i in _vector_ids(kb, scope)
        if i not in expected and tuple(i.split(":")[:2]) not in pending and not i.startswith(missing_prefixes)
    ]
    for start in range(0, len(orphans), _PAGE):
        kb.vectors.delete_ids(scope, orphans[start : start + _PAGE])
    report.orphans_removed += len(orphans)


def _snapshot_from_vectors(
    kb: KnowledgeBase, record: DocumentRecord, report: ReindexReport
) -> list[StoredChunk]:
    """Chunks of a document without a version snapshot, taken from its vectors and stored as one."""
    got = _vector_rows(
        kb, record.scope, {"$and": [{"doc_id": record.id}, {"content_hash": record.content_hash}]}
    )
    if not got:
        return []
    got.sort(key=lambda row: int(row[2].get("chunk_index", 0) or 0))
    with kb.db.transaction() as conn:
        kb.versions.add(conn, record, got)
    report.snapshots_made += 1
    return [StoredChunk(cid, i, text, meta) for i, (cid, text, meta) in enumerate(got)]


def move_scope(kb: KnowledgeBase, old: str, new: str) -> int:
    """Move every document of scope ``old`` to the empty scope ``new``; return how many moved."""
    with kb.write_lock:
        return _move_scope(kb, normalize_scope(old), normalize_scope(new))


def _move_scope(kb: KnowledgeBase, old: str, new: str) -> int:
    if old == new:
        return 0
    kb.recover()
    new_name = client_name(new)
    if kb.registry.list(scope=new) or (new_name is not None and kb.clients.get(new_name) is not None):
        raise StoreError(f"Er bestaat al een klant of scope '{new}'.")
    records = kb.registry.list(scope=old)
    kb.vectors.drop_scope(new)  # leftovers of an interrupted earlier attempt
    kb.ensure_scope(new)
    for ids, texts, metadatas, embeddings in _vector_pages(kb, old):
        kb.vectors.add(new, ids, embeddings, texts, [{**m, "scope": new} for m in metadatas])
    kb.ensure_scope(old)
    with kb.db.transaction() as conn:
        kb.lexical.copy_scope(conn, old, new)
        kb.lexical.drop_tables(conn, old)
        conn.execute("UPDATE documents SET scope = ? WHERE scope = ?", (new, old))
        conn.execute("UPDATE document_versions SET scope = ? WHERE scope = ?", (new, old))
        conn.execute(
            "UPDATE version_chunks SET metadata = json_set(metadata, '$.scope', ?) "
            "WHERE doc_id IN (SELECT id FROM documents WHERE scope = ?)",
            (new, new),
        )
        conn.execute("UPDATE pending_vectors SET scope = ? WHERE scope = ?", (new, old))
        conn.execute("UPDATE pending_rebuilds SET scope = ? WHERE scope = ?", (new, old))
        old_name = client_name(old)
        if old_name is not None and new_name is not None:
            kb.clients.register(conn, old)
            kb.clients.rename(conn, old_name, new_name)
        conn.execute("INSERT OR IGNORE INTO pending_erasures VALUES (?, ?)", (WHOLE_SCOPE, old))
    kb.lexical.forget(old)
    kb.finish_erasures(compact=False)
    return len(records)


def drop_scope(kb: KnowledgeBase, scope: str) -> tuple[int, bool]:
    """Erase a scope: every document, version, lexical entry, vector, stored file and the client row.

    Returns the number of documents erased and whether the stores were compacted.
    """
    with kb.write_lock:
        return _drop_scope(kb, normalize_scope(scope))


def _drop_scope(kb: KnowledgeBase, scope: str) -> tuple[int, bool]:
    kb.recover()
    records = kb.registry.list(scope=scope)
    doc_ids = [r.id for r in records]
    kb.ensure_scope(scope)
    vector_hashes = {text_hash(text) for _, texts, _, _ in _vector_pages(kb, scope) for text in texts}
    with kb.db.transaction() as conn:
        forget_embeddings(conn, doc_ids, vector_hashes)
        for doc_id in doc_ids:
            kb.versions.delete_document(conn, doc_id)
            kb.registry.delete(conn, doc_id)
        conn.execute("DELETE FROM pending_vectors WHERE scope = ?", (scope,))
        conn.execute("DELETE FROM pending_rebuilds WHERE scope = ?", (scope,))
        kb.lexical.drop_tables(conn, scope)
        name = client_name(scope)
        if name is not None:
            kb.clients.delete(conn, name)
        conn.executemany(
            "INSERT OR IGNORE INTO pending_erasures VALUES (?, ?)",
            [(doc_id, scope) for doc_id in [*doc_ids, WHOLE_SCOPE]],
        )
    kb.lexical.forget(scope)
    compacted = kb.finish_erasures(compact=True)
    return len(doc_ids), compacted


def _vector_ids(kb: KnowledgeBase, scope: str) -> list[str]:
    ids: list[str] = []
    offset = 0
    while True:
        page = kb.vectors.page(scope, [], _PAGE, offset)
        ids += page["ids"]
        if len(page["ids"]) < _PAGE:
            return ids
        offset += _PAGE


def _vector_rows(
    kb: KnowledgeBase, scope: str, where: dict[str, Any]
) -> list[tuple[str, str, dict[str, Any]]]:
    rows: list[tuple[str, str, dict[str, Any]]] = []
    offset = 0
    while True:
        page = kb.vectors.page(scope, ["documents", "metadatas"], _PAGE, offset, where=where)
        texts = page.get("documents") or []
        metas = page.get("metadatas") or []
        rows += [(cid, texts[i] or "", dict(metas[i] or {})) for i, cid in enumerate(page["ids"])]
        if len(page["ids"]) < _PAGE:
            return rows
        offset += _PAGE


_Page = tuple[list[str], list[str], list[dict[str, Any]], list[list[float]]]


def _vector_pages(kb: KnowledgeBase, scope: str) -> Iterator[_Page]:
    """All vectors of a scope as (ids, texts, metadatas, embeddings) pages."""
    offset = 0
    while True:
        page = kb.vectors.page(scope, ["documents", "metadatas", "embeddings"], _PAGE, offset)
        ids = list(page["ids"])
        if ids:
            embeddings = page.get("embeddings")
            yield (
                ids,
                [t or "" for t in page.get("documents") or []],
                [dict(m or {}) for m in page.get("metadatas") or []],
                [list(map(float, v)) for v in (embeddings if embeddings is not None else [])],
            )
        if len(ids) < _PAGE:
            return
        offset += _PAGE
