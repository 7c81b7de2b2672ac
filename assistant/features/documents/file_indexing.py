"""Index one file into a scope: the per-file steps shared by ``ingest``, folder sync and the Kennisbank.

Steps: size check, read, content hash (with a marker for the masking policy, so switching the
policy re-indexes), skip when the scope already holds exactly this content (before parsing),
sandboxed parse, masking of personal data, then :meth:`KnowledgeBase.index_document` with the
document's owner, effective date and PII counts. A bad file raises an :class:`AvgError` with a
Dutch reason; the caller decides whether that skips the file or stops.

This module imports no service, so :mod:`assistant.features.documents.ingest` and
:mod:`assistant.features.documents.service` can both build on it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

from ingestion.errors import IngestionError
from ingestion.file_access import read_regular_file
from ingestion.limits import ParseLimits
from ingestion.parse_checks import check_size, too_large_reason
from ingestion.pii import PiiCounts, mask_document
from ingestion.safe_parse import safe_load_file
from knowledge.knowledge_base import KnowledgeBase
from knowledge.registry import STATUS_READY, DocumentMeta, DocumentRecord
from knowledge.scopes import CLIENT_PREFIX, normalize_scope

#: Kinds whose personal data is masked before indexing unless switched off.
PII_KINDS = frozenset({"procesdocument"})
#: Default kind of a file indexed into a client scope without an explicit kind.
CLIENT_DEFAULT_KIND = "procesdocument"

_LABELS = {"added": "nieuw", "updated": "bijgewerkt", "unchanged": "ongewijzigd"}


class MaskPolicy(Enum):
    """Whose personal data is masked; the value is the marker added to the content hash.

    The markers are part of the stored hashes: changing them re-indexes every knowledge base.
    """

    PROCESS_DOCUMENTS = b"\x00pii-masked"
    ALL = b"\x00pii-masked-all"
    NONE = b""

    @classmethod
    def from_option(cls, mask_pii: bool | None) -> MaskPolicy:
        """None: process documents only (the default); True: every kind; False: nothing."""
        if mask_pii is None:
            return cls.PROCESS_DOCUMENTS
        return cls.ALL if mask_pii else cls.NONE

    @property
    def marker(self) -> bytes:
        """Bytes appended to the file's content before hashing."""
        return self.value

    def applies_to(self, kind: str) -> bool:
        """True when documents of ``kind`` are masked under this policy."""
        return self is MaskPolicy.ALL or (self is MaskPolicy.PROCESS_DOCUMENTS and kind in PII_KINDS)


class FileProgress(Protocol):
    """The per-file part of :class:`assistant.features.documents.ingest.IngestProgress`."""

    def file_started(self, path: Path, chunk_count: int) -> None:
        """A file was parsed into ``chunk_count`` chunks and is being indexed."""

    def chunks_embedded(self, count: int) -> None:
        """``count`` more chunks of the current file were embedded."""


@dataclass(frozen=True)
class IndexedFile:
    """What indexing one file did: ``added``, ``updated`` or ``unchanged``.

    ``chunks`` is 0 for an unchanged file; ``pii`` holds the counts when the file was masked.
    """

    action: str
    doc_id: str
    version: int
    chunks: int = 0
    pii: PiiCounts | None = None

    @property
    def label(self) -> str:
        """The Dutch outcome: 'nieuw', 'bijgewerkt' or 'ongewijzigd'."""
        return _LABELS[self.action]

    @property
    def changed(self) -> bool:
        """True when a new document or a new version was written."""
        return self.action != "unchanged"


def file_hash(data: bytes) -> str:
    """Content hash used to detect unchanged files."""
    return hashlib.sha256(data).hexdigest()


def index_file(
    kb: KnowledgeBase,
    path: Path,
    scope: str,
    source_key: str,
    *,
    limits: ParseLimits,
    kind: str | None = None,
    title: str | None = None,
    mask: MaskPolicy = MaskPolicy.PROCESS_DOCUMENTS,
    effective_date: str = "",
    owner: str = "",
    progress: FileProgress | None = None,
) -> IndexedFile:
    """Index ``path`` as the document ``source_key`` of ``scope``; raises :class:`AvgError` for a bad file.

    ``effective_date`` (ISO text) and ``owner`` are recorded when given; otherwise a new version
    keeps those of the previous one, and an unchanged file keeps its metadata.
    """
    scope = normalize_scope(scope)
    check_size(path, limits)
    data = read_regular_file(path, limits.max_file_bytes)  # a FIFO or device raises, never blocks
    if len(data) > limits.max_file_bytes:
        raise IngestionError(too_large_reason(len(data), limits))
    digest = file_hash(data + mask.marker)
    existing = kb.registry.get(scope, source_key)
    if existing is not None and existing.status == STATUS_READY and existing.content_hash == digest:
        update_unchanged(kb, existing, owner, effective_date)
        return IndexedFile("unchanged", existing.id, existing.version)
    if kind is None and scope.startswith(CLIENT_PREFIX):
        kind = CLIENT_DEFAULT_KIND
    parsed = safe_load_file(path, limits=limits, kind=kind, title=title or None)
    counts = mask_document(parsed) if mask.applies_to(parsed.kind) else None
    meta = DocumentMeta(
        effective_date=effective_date or (existing.effective_date if existing else ""),
        owner=owner.strip() or (existing.owner if existing else ""),
        pii=dataclasses.asdict(counts) if counts is not None else {},
    )
    if progress is not None:
        progress.file_started(path, len(parsed.chunks))
    on_embedded = progress.chunks_embedded if progress is not None else None
    outcome = kb.index_document(scope, source_key, parsed, digest, on_embedded, meta)
    chunks = outcome.chunk_count if outcome.action != "unchanged" else 0
    return IndexedFile(outcome.action, outcome.doc_id, outcome.version, chunks, counts)


def update_unchanged(kb: KnowledgeBase, record: DocumentRecord, owner: str, effective_date: str) -> None:
    """Same content again: only record a new owner or effective date when one was given."""
    new_owner = owner.strip() or record.owner
    new_date = effective_date or record.effective_date
    if (new_owner, new_date) != (record.owner, record.effective_date):
        kb.set_metadata(record.id, new_owner, new_date)
