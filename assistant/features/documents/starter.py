"""Use case: keep the starter knowledge pack in the general scope in step with its folder.

Each note is indexed under the source key ``starter:<file name>`` with a hash of its text,
so a later start only reads and hashes the notes: an unchanged note is never parsed or
embedded again, a changed note replaces its old chunks and a note that left the pack is
removed. Documents that were not loaded from the pack are never touched.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.errors import ConfigError
from knowledge.knowledge_base import KnowledgeBase
from knowledge.scopes import GENERAL_SCOPE
from knowledge.starter_pack import STARTER_DIR, note_document, note_files, parse_note

STARTER_LABEL = "concept — door kennisbeheerder te valideren"
SOURCE_PREFIX = "starter:"
# Part of the hash: bump it when note_document changes what the chunks look like.
_FORMAT_VERSION = "starter-v1"


@dataclass
class StarterReport:
    """What loading the starter pack changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """A Dutch summary for the user."""
        lines = [
            f"Kennisnotities: nieuw {self.added}, bijgewerkt {self.updated}, "
            f"ongewijzigd {self.unchanged}, verwijderd {self.removed}",
            f"Passages toegevoegd: {self.chunks}",
        ]
        lines += [f"  - overgeslagen {name}: {reason}" for name, reason in self.skipped]
        return "\n".join(lines)


def note_hash(text: str) -> str:
    """Content hash of a note (with the chunk format version)."""
    return hashlib.sha256(f"{_FORMAT_VERSION}\n{text}".encode()).hexdigest()


def ensure_starter_pack(kb: KnowledgeBase, folder: Path | None = None) -> StarterReport:
    """Index new and changed notes of the pack into "algemeen" and remove notes no longer in it."""
    folder = folder or STARTER_DIR
    scope = kb.ensure_scope(GENERAL_SCOPE)
    kb.recover()
    report = StarterReport()
    present: set[str] = set()
    for path in note_files(folder):
        source_key = SOURCE_PREFIX + path.name
        present.add(source_key)
        try:
            text = path.read_text(encoding="utf-8")
            digest = note_hash(text)
            if kb.is_current(scope, source_key, digest):
                report.unchanged += 1
                continue
            outcome = kb.index_document(scope, source_key, note_document(parse_note(text, path.name)), digest)
        except (OSError, UnicodeDecodeError) as exc:
            report.skipped.append((path.name, f"Bestand kan niet worden gelezen ({exc})."))
            continue
        except ConfigError as exc:
            report.skipped.append((path.name, str(exc)))
            continue
        if outcome.action == "unchanged":
            report.unchanged += 1
            continue
        report.chunks += outcome.chunk_count
        if outcome.action == "added":
            report.added += 1
        else:
            report.updated += 1
    for record in kb.registry.list(scope):
        if record.source_key.startswith(SOURCE_PREFIX) and record.source_key not in present:
            kb.remove_document(record.id)
            report.removed += 1
    return report
