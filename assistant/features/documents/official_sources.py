"""Use case: keep the official text of the AVG up to date (``avg-assistent sources update``).

The Dutch AVG is downloaded from its EUR-Lex address (or read from a file saved from there),
parsed like any EUR-Lex page or Formex file, and indexed into ``algemeen`` under the stable
source key ``bron:AVG``. The change test is on the parsed law text, not on the page bytes
(EUR-Lex pages carry session details that change on every download): an unchanged text only
records the fetch, a changed one becomes a new version of the same document. This is the only
place the assistant goes online, and only when asked to.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from assistant.features.audit.log import AuditLog, EventType
from ingestion.errors import IngestionError
from ingestion.limits import ParseLimits
from ingestion.model import ParsedDocument
from ingestion.safe_parse import safe_load_file
from knowledge.knowledge_base import KnowledgeBase
from knowledge.registry import STATUS_READY
from knowledge.scopes import GENERAL_SCOPE
from knowledge.sources import SourceRecord, SourceRegistry

AVG_CELEX = "32016R0679"
#: The Dutch AVG on EUR-Lex (CELEX 32016R0679, HTML).
DEFAULT_AVG_URL = f"https://eur-lex.europa.eu/legal-content/NL/TXT/HTML/?uri=CELEX:{AVG_CELEX}"
AVG_SOURCE = "AVG"
SOURCE_KEY_PREFIX = "bron:"
DEFAULT_TIMEOUT_S = 60.0
_MAX_BYTES = 25 * 1024 * 1024
_USER_AGENT = "avg-assistent (bijwerken wettekst)"
_OFFLINE = (
    "Geen verbinding met EUR-Lex ({reason}). Download de AVG op een computer met internet "
    f"({DEFAULT_AVG_URL}) en gebruik --from BESTAND."
)
_CONSOLIDATED = re.compile(r"0?2016R0679-(\d{4})(\d{2})(\d{2})")
_JOURNAL = re.compile(r"PB\s+L\s+(\d+)\s+van\s+(\d{1,2}\.\d{1,2}\.\d{4})")
_JOURNAL_ID = re.compile(r"L_(\d{4})(\d{3})NL")


@dataclass(frozen=True)
class SourceUpdate:
    """What one update did: 'nieuw', 'bijgewerkt' or 'ongewijzigd'."""

    name: str
    origin: str
    outcome: str
    version_label: str
    version: int
    chunks: int
    duplicates: tuple[str, ...] = ()

    def summary(self) -> str:
        """A Dutch summary for the user."""
        what = {
            "nieuw": "toegevoegd",
            "bijgewerkt": f"bijgewerkt naar versie {self.version}",
            "ongewijzigd": "ongewijzigd (de tekst is niet veranderd)",
        }[self.outcome]
        lines = [
            f"{self.name}: {what}",
            f"Versie: {self.version_label}",
            f"Bron: {self.origin}",
        ]
        if self.outcome != "ongewijzigd":
            lines.append(f"Passages: {self.chunks}")
        lines += [
            f"Let op: '{title}' bevat dezelfde wet nog eens; verwijder het met "
            "'avg-assistent docs remove ID' om dubbele treffers te voorkomen."
            for title in self.duplicates
        ]
        return "\n".join(lines)


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT_S) -> bytes:
    """Download a page; a Dutch IngestionError says what went wrong and what to do."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's URL
            data: bytes = response.read(_MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise IngestionError(
            f"EUR-Lex gaf foutcode {exc.code} voor {url}. Controleer het adres, of gebruik --from BESTAND."
        ) from exc
    except (urllib.error.URLError, TimeoutError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", None) or type(exc).__name__
        raise IngestionError(_OFFLINE.format(reason=reason)) from exc
    if len(data) > _MAX_BYTES:
        raise IngestionError(f"De pagina op {url} is groter dan 25 MB; gebruik --from BESTAND.")
    if not data.strip():
        raise IngestionError(
            f"De pagina op {url} is leeg. Probeer het later opnieuw of gebruik --from BESTAND."
        )
    return data


def law_text_hash(parsed: ParsedDocument) -> str:
    """Hash of the parsed law text and its structure (what a change test should look at)."""
    payload = [
        (c.page_content, c.metadata.get("citation", ""), c.metadata.get("heading", "")) for c in parsed.chunks
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def version_label(raw: str, content_hash: str) -> str:
    """A readable version label: consolidated date or Official Journal reference, plus the text hash."""
    consolidated = _CONSOLIDATED.search(raw)
    journal = _JOURNAL.search(raw)
    journal_id = _JOURNAL_ID.search(raw)
    if consolidated:
        label = (
            f"geconsolideerde versie {consolidated.group(1)}-{consolidated.group(2)}-{consolidated.group(3)}"
        )
    elif journal:
        label = f"PB L {journal.group(1)} van {journal.group(2)}"
    elif journal_id:
        label = f"PB L {int(journal_id.group(2))} ({journal_id.group(1)})"
    else:
        label = "versie onbekend"
    return f"{label}, tekst {content_hash[:10]}"


class OfficialSources:
    """Fetch and index official law texts."""

    def __init__(self, kb: KnowledgeBase, limits: ParseLimits | None = None, *, audit: AuditLog) -> None:
        self.kb = kb
        self.limits = limits or ParseLimits()
        self.audit = audit
        self.registry = SourceRegistry(kb.db)

    def list(self) -> list[SourceRecord]:
        """All recorded sources."""
        return self.registry.list()

    def update(
        self,
        url: str | None = None,
        from_file: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        name: str = AVG_SOURCE,
        *,
        actor: str,
    ) -> SourceUpdate:
        """Fetch (or read) the law text and index it when it changed (a change is audited)."""
        if from_file is not None:
            path = Path(from_file)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise IngestionError(f"Bestand '{path}' kan niet worden gelezen ({exc.strerror}).") from exc
            origin = str(path.resolve())
        else:
            origin = url or DEFAULT_AVG_URL
            data = fetch(origin, timeout)
        parsed = self._parse(data)
        content_hash = law_text_hash(parsed)
        label = version_label(data[:2_000_000].decode("utf-8", errors="replace"), content_hash)
        source_key = SOURCE_KEY_PREFIX + name
        self.kb.recover()
        outcome = self.kb.index_document(GENERAL_SCOPE, source_key, parsed, content_hash)
        changed = outcome.action != "unchanged"
        self.registry.record(name, origin, outcome.doc_id, content_hash, label, changed)
        duplicates = tuple(
            r.title
            for r in self.kb.registry.list(GENERAL_SCOPE, STATUS_READY)
            if r.law == parsed.law and r.id != outcome.doc_id and r.kind == "wet"
        )
        if changed:
            self.audit.record(
                actor,
                EventType.DOCUMENT_CHANGED,
                scope=GENERAL_SCOPE,
                action="bron bijgewerkt",
                document=outcome.doc_id,
                source=name,
                version=outcome.version,
            )
        return SourceUpdate(
            name=name,
            origin=origin,
            outcome={"added": "nieuw", "updated": "bijgewerkt"}.get(outcome.action, "ongewijzigd"),
            version_label=label,
            version=outcome.version,
            chunks=outcome.chunk_count,
            duplicates=duplicates,
        )

    def _parse(self, data: bytes) -> ParsedDocument:
        """Parse downloaded bytes as EUR-Lex HTML or Formex XML under a stable file name."""
        head = data[:2048].lstrip()
        suffix = ".xml" if head.startswith(b"<?xml") and b"<html" not in data[:4096].lower() else ".html"
        with tempfile.TemporaryDirectory(prefix="avg-bron-") as folder:
            path = Path(folder) / f"eur-lex-{AVG_CELEX}{suffix}"
            path.write_bytes(data)
            parsed = safe_load_file(path, limits=self.limits)
        if parsed.kind != "wet" or not parsed.law:
            raise IngestionError(
                "Geen wettekst gevonden in deze pagina. Is het de EUR-Lex-pagina (HTML) of de Formex-XML "
                "van de AVG?"
            )
        return parsed
