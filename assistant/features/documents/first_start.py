"""First-start guidance: tell the user how to add the law text when it is not loaded yet."""

from __future__ import annotations

from collections.abc import Callable

from assistant.features.cards.store import CardStore, load_starter_cards
from assistant.features.documents.starter import SOURCE_PREFIX, StarterReport, ensure_starter_pack
from knowledge.knowledge_base import KnowledgeBase
from knowledge.registry import STATUS_READY
from knowledge.scopes import GENERAL_SCOPE

LAW_MISSING_HINT = (
    "Let op: de wettekst van de AVG is nog niet geladen. Voeg hem toe met "
    "'avg-assistent ingest <pad naar de EUR-Lex-HTML of Formex-XML van de AVG>'."
)


def law_missing_hint(kb: KnowledgeBase) -> str:
    """A Dutch hint when no law text is indexed in the general scope, else ""."""
    laws = [r for r in kb.registry.list(GENERAL_SCOPE, STATUS_READY) if r.law]
    return "" if laws else LAW_MISSING_HINT


def prepare_knowledge(
    kb: KnowledgeBase, notify: Callable[[str], None], enabled: bool = True, cards: CardStore | None = None
) -> StarterReport | None:
    """Load or refresh the starter pack (notes and answer cards) when enabled; say when that takes long."""
    if not enabled:
        return None
    if cards is not None:
        cards.seed(load_starter_cards())
    loaded = any(r.source_key.startswith(SOURCE_PREFIX) for r in kb.registry.list(GENERAL_SCOPE))
    if not loaded:
        notify(
            "Eerste start: de meegeleverde kennisnotities worden ingelezen (eenmalig, ongeveer een minuut)…"
        )
    report = ensure_starter_pack(kb)
    if report.added or report.updated or report.removed or report.skipped:
        notify(report.summary())
    return report
