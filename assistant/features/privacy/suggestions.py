"""Suggestions for the register, found in a client's own process documents, each with its evidence.

Passages come from the client's scope only (never ``algemeen``: law text is not a client's
practice). Two extractors, both returning :class:`Suggestion` with the passage as evidence
(document, page, quote):

* patterns, always: "Voor de X verwerken wij …" (an activity), "Doel: …" under a heading, a list
  of data after "… gegevens:", "wij bewaren … 7 jaar na …" / "… tot u zich afmeldt";
* a language model, when one is configured: it answers JSON, and an item is kept only when its
  quote is literally in the passage it names and its value's words and numbers occur there.

Text is reflowed first (:func:`.reflow.reflow`): the hard-wrapped lines of one paragraph or list item
(PDF text and wrapped Markdown) are joined, words hyphenated at a line end are mended, and only
headings, list items, table rows and blank lines start a new line. Retention tables (a header
"Activiteit | Bewaartermijn", rows of activity or data + term) are read as rows, in Markdown tables
and in PDF text where the columns became one run of words or one line each.

A suggestion is bound to the activity its passage names; accepting it never fills another
activity's field, and never overwrites a different value silently: :func:`apply_suggestion`
raises :class:`SuggestionConflict` (current value next to the proposed one) until the consultant
chooses which value wins (``choice`` "huidig" or "nieuw").

Nothing enters the register until a consultant accepts a suggestion (:func:`apply_suggestion`);
the accepted passage is kept as a source of the activity, so a later change of that document
marks approved privacyverklaringen as "verouderd".
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.features.privacy.errors import RegisterError
from assistant.features.privacy.model import Activity, Register, SourceRef
from assistant.features.privacy.reflow import BULLET, TABLE_HEAD, is_table_line, reflow, table_rows
from assistant.features.privacy.store import PrivacyDatabase, RegisterTrail, now
from knowledge.retrieval import HybridRetriever, ScoredChunk
from knowledge.scopes import client_scope
from knowledge.text_analysis import analyze, fold
from prompts import load_prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

logger = logging.getLogger(__name__)

ACTIVITY = "verwerking"
DATA = "gegevens"
RETENTION = "bewaartermijn"
KINDS: tuple[str, ...] = (ACTIVITY, DATA, RETENTION)
OPEN, ACCEPTED, REJECTED = "open", "geaccepteerd", "afgewezen"
KEEP, REPLACE = "huidig", "nieuw"
CHOICES: tuple[str, ...] = (KEEP, REPLACE)
ORIGIN_PATTERN, ORIGIN_MODEL = "patroon", "taalmodel"

QUERIES: tuple[str, ...] = (
    "Voor welke doelen verwerken wij persoonsgegevens in dit proces?",
    "Welke persoonsgegevens verwerken wij: naam, adres, e-mailadres, telefoonnummer?",
    "Hoe lang bewaren wij de gegevens? Bewaartermijn in jaren of maanden.",
    "Werkwijze en stappen van het proces met klantgegevens",
)
NOTICE_MODEL_FAILED = (
    "Het taalmodel is niet bereikbaar of gaf geen bruikbaar antwoord; "
    "alleen suggesties op basis van patronen."
)
NOTICE_MODEL_DROPPED = (
    "{n} suggestie(s) van het taalmodel weggelaten: niet letterlijk terug te vinden in de brontekst."
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ACTIVITY = re.compile(
    r"\b[Vv]oor (?:de|het) (?P<name>[a-zà-ÿ][\w\s-]{2,60}?) "
    r"(?:verwerken|gebruiken|verzamelen|registreren|vragen"
    r"|bewaren|noteren|ontvangen)\s+(?:wij|we)\b"
)
_PURPOSE = re.compile(r"^(?:[Dd]oel(?: van de verwerking)?|[Vv]erwerkingsdoel)\s*:\s*(?P<purpose>.{5,240})$")
_LIST_INTRO = re.compile(r"gegevens\b[^:\n]{0,80}:\s*$", re.IGNORECASE)
_INLINE_LIST = re.compile(r"gegevens\b[^:.\n]{0,80}:\s*(?P<list>[^\n.]+,[^\n.]+)", re.IGNORECASE)
_VERBS = r"(?:verwerken|vragen|gebruiken|registreren|noteren|verzamelen)"
_ITEM = r"(?:uw |je |de |het )?[\w-]+(?: van (?:de |het |uw |je )?[\w-]+)?"
_VERB_LIST = re.compile(
    rf"\b(?:(?:[Ww]ij|[Ww]e) {_VERBS}|{_VERBS} (?:wij|we))\s+(?:daarvoor |hiervoor )?"
    rf"(?P<list>(?:uw|je|de|het) [\w-]+(?:,\s*{_ITEM})+\s+en\s+{_ITEM})"
)
_PERIOD = re.compile(
    r"(?P<period>(?:\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|vijftien|twintig|dertig)"
    r"\s+(?:dagen|dag|weken|week|maanden|maand|jaren|jaar))"
    r"(?P<tail>\s+(?:na|nadat|vanaf|gerekend|volgend op|tot)\b(?:[ ,]+(?!(?-i:[A-ZÀ-Ý]))[\w()/-]+){0,12})?",
    re.IGNORECASE,
)
#: The header of a retention table: a column of activities or data, then a column of terms.
_RETENTION_WORD = re.compile(r"\bbewa(?:ren|ard|ar|artermijn)", re.IGNORECASE)
_UNTIL = re.compile(
    r"\bbewa(?:ren|ard|ar)\b[^.]{0,60}?\b(?P<until>tot (?:u|je|de|het|uw|zij|hij)\b[^.;,]{3,60})"
)
_RETENTION_LABEL = re.compile(r"^(?:[Bb]ewaartermijn|[Bb]ewaren)\s*:\s*(?P<value>.{3,120})$")
_ARTICLES = re.compile(r"^(?:uw|je|de|het|een)\s+", re.IGNORECASE)


@dataclass
class Suggestion:
    """A candidate register entry with the passage it was found in."""

    kind: str
    activity: str
    value: str
    evidence: SourceRef
    origin: str = ORIGIN_PATTERN
    detail: str = ""
    id: int = 0
    status: str = OPEN

    def key(self) -> tuple[str, str, str]:
        """What makes two suggestions the same."""
        return (self.kind, fold(self.activity).strip(), fold(self.value).strip())


@dataclass
class SuggestionRun:
    """The outcome of one search: suggestions (new and already known) plus notices."""

    suggestions: list[Suggestion] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    passages: int = 0


class SuggestionFinder:
    """Finds suggestions in the client's documents."""

    def __init__(self, retriever: HybridRetriever, model: BaseChatModel | None = None, k: int = 20) -> None:
        self.retriever = retriever
        self.model = model
        self.k = k

    def passages(self, client: str) -> list[ScoredChunk]:
        """Distinct passages of the client's own scope that the queries retrieve."""
        scope = client_scope(client)
        seen: dict[str, ScoredChunk] = {}
        for query in QUERIES:
            for chunk in self.retriever.retrieve(query, [scope], k=self.k).chunks:
                if chunk.metadata.get("scope", scope) == scope:
                    seen.setdefault(chunk.chunk_id, chunk)
        return sorted(
            seen.values(), key=lambda c: (str(c.metadata.get("document")), c.metadata.get("chunk_index", 0))
        )

    def find(self, client: str, register: Register | None = None) -> SuggestionRun:
        """Suggestions for ``client`` that the register does not hold yet."""
        chunks = self.passages(client)
        known = [a.name for a in register.activities] if register else []
        run = SuggestionRun(passages=len(chunks))
        found = pattern_suggestions(chunks, known)
        if self.model is not None and chunks:
            from_model, notices = model_suggestions(self.model, chunks, known)
            found += from_model
            run.notices += notices
        run.suggestions = [s for s in _dedupe(found) if not _in_register(s, register)]
        return run


def pattern_suggestions(chunks: list[ScoredChunk], known: list[str]) -> list[Suggestion]:
    """Suggestions found with patterns (no language model)."""
    found: list[Suggestion] = []
    named = {c.chunk_id: _named_activity(c) for c in chunks}
    per_document: dict[str, str] = {}
    for chunk in chunks:
        document = str(chunk.metadata.get("doc_id", ""))
        if named[chunk.chunk_id] and document not in per_document:
            per_document[document] = named[chunk.chunk_id]
    for chunk in chunks:
        heading, lines = _body(chunk)
        section = heading.split(" > ")[-1] if heading else ""
        chunk_activity = named[chunk.chunk_id] or per_document.get(str(chunk.metadata.get("doc_id", "")), "")
        rows = table_rows(lines)
        for label, term, quote in rows:
            found.append(_make(chunk, RETENTION, _known_name(label, known), term, quote))
        in_table = {
            i
            for i, line in enumerate(lines)
            if is_table_line(line)
            or TABLE_HEAD.search(line)
            or any(line == f"{label} {term}" for label, term, _ in rows)
        }
        for index, line in enumerate(lines):
            if index in in_table and rows:
                continue
            for sentence in _SENTENCE_END.split(line):
                found += _sentence_suggestions(chunk, sentence, heading, section, chunk_activity, known)
            if _LIST_INTRO.search(line):
                items = _following_items(lines, index + 1)
                activity = _activity_for(line, heading, chunk_activity, known, section)
                quote = " ".join([line, *(f"- {i}" for i in items)])
                found += [_make(chunk, DATA, activity, item, quote) for item in _clean_items(items)]
    return found


def _named_activity(chunk: ScoredChunk) -> str:
    """The activity a chunk names: "Voor de X verwerken wij …", else its heading when it states a "Doel:"."""
    heading, lines = _body(chunk)
    for line in lines:
        match = _ACTIVITY.search(line)
        if match:
            return _capital(" ".join(match.group("name").split()))
    if heading and any(_PURPOSE.match(line.strip()) for line in lines):
        return heading.split(" > ")[-1]
    return ""


def _sentence_suggestions(
    chunk: ScoredChunk, sentence: str, heading: str, section: str, chunk_activity: str, known: list[str]
) -> list[Suggestion]:
    found: list[Suggestion] = []
    sentence = sentence.strip()
    if not sentence:
        return found
    match = _ACTIVITY.search(sentence)
    if match:
        name = _capital(" ".join(match.group("name").split()))
        found.append(_make(chunk, ACTIVITY, name, name, sentence, detail=sentence))
    purpose = _PURPOSE.match(sentence)
    if purpose and section:
        found.append(
            _make(chunk, ACTIVITY, section, section, sentence, detail=purpose.group("purpose").strip())
        )
    activity = _activity_for(sentence, heading, chunk_activity, known, section)
    for pattern in (_INLINE_LIST, _VERB_LIST):
        listed = pattern.search(sentence)
        if listed:
            items = re.split(r",\s*|\s+en\s+|\s+of\s+", listed.group("list"))
            found += [_make(chunk, DATA, activity, item, sentence) for item in _clean_items(items)]
            break
    label = _RETENTION_LABEL.match(sentence)
    if label:
        found.append(_make(chunk, RETENTION, activity, label.group("value").strip().rstrip("."), sentence))
    elif _RETENTION_WORD.search(sentence):
        period = _PERIOD.search(sentence)
        until = _UNTIL.search(sentence)
        if period:
            value = (period.group("period") + (period.group("tail") or "")).strip().rstrip(",")
            found.append(_make(chunk, RETENTION, activity, value, sentence))
        elif until:
            found.append(_make(chunk, RETENTION, activity, until.group("until").strip(), sentence))
    return found


def model_suggestions(
    model: BaseChatModel, chunks: list[ScoredChunk], known: list[str]
) -> tuple[list[Suggestion], list[str]]:
    """Suggestions extracted by the language model, checked against their passages; plus notices."""
    from langchain_core.messages import HumanMessage, SystemMessage

    passages = "\n\n".join(
        f"<<<PASSAGE {n}: {_label(c)}>>>\n{c.text}\n<<<EINDE PASSAGE {n}>>>"
        for n, c in enumerate(chunks, start=1)
    )
    user = load_prompt("privacy_suggest_user").format(
        verwerkingen=", ".join(known) or "(nog geen)", passages=passages
    )
    try:
        reply = str(
            model.invoke([SystemMessage(load_prompt("privacy_suggest_system")), HumanMessage(user)]).text
        )
    except Exception as exc:  # noqa: BLE001 - every client error means: patterns only
        logger.warning(
            "Taalmodel gaf een fout bij het zoeken naar suggesties: %s: %s", type(exc).__name__, exc
        )
        return [], [NOTICE_MODEL_FAILED]
    return parse_model_reply(reply, chunks)


def parse_model_reply(reply: str, chunks: list[ScoredChunk]) -> tuple[list[Suggestion], list[str]]:
    """Validate the model's JSON: keep items whose quote and value are found in their passage."""
    data = _json_object(reply)
    items = data.get("suggesties") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], [NOTICE_MODEL_FAILED]
    kept: list[Suggestion] = []
    dropped = 0
    for item in items:
        suggestion = _checked_item(item, chunks)
        if suggestion is None:
            dropped += 1
        else:
            kept.append(suggestion)
    notices = [NOTICE_MODEL_DROPPED.format(n=dropped)] if dropped else []
    return kept, notices


def _checked_item(item: Any, chunks: list[ScoredChunk]) -> Suggestion | None:
    if not isinstance(item, dict):
        return None
    kind, value = item.get("soort"), item.get("waarde")
    number, quote = item.get("passage"), item.get("citaat")
    activity = item.get("verwerking") or ""
    if (
        kind not in KINDS
        or not isinstance(value, str)
        or not isinstance(quote, str)
        or not isinstance(activity, str)
    ):
        return None
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= len(chunks):
        return None
    value, quote = " ".join(value.split()), " ".join(quote.split())
    if not value or len(value) > 200 or not quote:
        return None
    chunk = chunks[number - 1]
    if _normal(quote) not in _normal(chunk.text) or not supported(value, quote, strict=kind != ACTIVITY):
        return None
    if kind == ACTIVITY:
        activity = value
    return _make(chunk, kind, " ".join(activity.split()), value, quote, origin=ORIGIN_MODEL)


def supported(value: str, evidence: str, strict: bool = True) -> bool:
    """True when ``value``'s numbers and words occur in ``evidence`` (half the words when not ``strict``)."""
    if not set(re.findall(r"\d+", value)) <= set(re.findall(r"\d+", evidence)):
        return False
    stems = set(analyze(value))
    if not stems:
        return _normal(value) in _normal(evidence)
    available = set(analyze(evidence))
    found = sum(1 for s in stems if any(related_words(s, a) for a in available))
    return found == len(stems) if strict else found * 2 >= len(stems)


class SuggestionConflict(RegisterError):
    """Accepting would replace a different value: the consultant chooses (``huidig`` or ``nieuw``)."""

    def __init__(self, activity: str, field: str, current: str, proposed: str) -> None:
        self.activity, self.field, self.current, self.proposed = activity, field, current, proposed
        super().__init__(
            f"Verwerking '{activity}' heeft al een {field}: '{current}'. De suggestie zegt: '{proposed}'. "
            f"Er wordt niets overschreven; kies welke waarde geldt ('{KEEP}' of '{REPLACE}')."
        )


def apply_suggestion(
    register: Register, suggestion: Suggestion, activity: str | None = None, choice: str | None = None
) -> Register:
    """Put an accepted suggestion into ``register`` (in place) and return it.

    The suggestion goes to its own activity: ``activity`` may only name another one when the
    suggestion's activity is unknown or not in the register (a consultant mapping a table label).
    A different value already in the field raises :class:`SuggestionConflict` unless ``choice``
    says which wins ("huidig" keeps the register's value, "nieuw" takes the suggestion's).
    """
    if choice is not None and choice not in CHOICES:
        raise RegisterError(f"Onbekende keuze '{choice}': gebruik '{KEEP}' of '{REPLACE}'.")
    own = " ".join((suggestion.activity or "").split())
    chosen = " ".join((activity or "").split())
    if chosen and own and fold(chosen) != fold(own) and register.activity(own) is not None:
        raise RegisterError(
            f"Deze suggestie komt uit een passage over verwerking '{own}' en hoort daar; ze kan niet bij "
            f"'{chosen}' worden opgenomen."
        )
    target_name = chosen or own
    if suggestion.kind == ACTIVITY:
        target_name = target_name or suggestion.value
    if not target_name:
        raise RegisterError("Kies de verwerking waar deze suggestie bij hoort.")
    target = register.activity(target_name)
    if target is None:
        target = Activity(name=target_name)
        register.activities.append(target)
    if suggestion.kind == ACTIVITY:
        if suggestion.detail and _differs(target.purpose, suggestion.detail):
            if choice is None:
                raise SuggestionConflict(target.name, "doel", target.purpose, suggestion.detail)
            if choice == REPLACE:
                target.purpose = suggestion.detail
        elif suggestion.detail:
            target.purpose = target.purpose or suggestion.detail
    elif suggestion.kind == DATA:
        if fold(suggestion.value) not in {fold(c) for c in target.data_categories}:
            target.data_categories.append(suggestion.value)
    elif _differs(target.retention, suggestion.value):
        if choice is None:
            raise SuggestionConflict(target.name, "bewaartermijn", target.retention, suggestion.value)
        if choice == REPLACE:
            target.retention = suggestion.value
    else:
        target.retention = target.retention or suggestion.value
    evidence = suggestion.evidence
    if choice != KEEP and not any(
        s.doc_id == evidence.doc_id and s.quote == evidence.quote for s in target.sources
    ):
        target.sources.append(evidence)
    return register


def _differs(current: str, proposed: str) -> bool:
    """True when the register holds a value and it is not the proposed one."""
    return bool(current.strip()) and _normal(current).rstrip(".") != _normal(proposed).rstrip(".")


class SuggestionStore:
    """Suggestions per client and the consultant's decisions on them."""

    def __init__(self, db: PrivacyDatabase) -> None:
        self.db = db

    def add(self, client: str, suggestions: list[Suggestion], actor: str) -> int:
        """Store new suggestions (known ones, also decided ones, are skipped); return how many were new."""
        added = 0
        with self.db.transaction() as conn:
            for s in suggestions:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO suggestions "
                    "(client, kind, activity, value, detail, evidence, origin, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        client,
                        s.kind,
                        s.activity,
                        s.value,
                        s.detail,
                        json.dumps(s.evidence.to_dict(), ensure_ascii=False),
                        s.origin,
                        now(),
                    ),
                )
                added += cursor.rowcount
            RegisterTrail.record(
                conn, actor, client, "suggesties gezocht", f"register {client}", f"{added} nieuw"
            )
        return added

    def list(self, client: str, status: str | None = OPEN) -> list[Suggestion]:
        """Suggestions of ``client`` (with ``status``; all when None), in order of finding."""
        sql = "SELECT * FROM suggestions WHERE client = ?"
        params: tuple[object, ...] = (client,)
        if status is not None:
            sql += " AND status = ?"
            params = (client, status)
        return [_from_row(r) for r in self.db.query(sql + " ORDER BY id", params)]

    def get(self, suggestion_id: int) -> tuple[str, Suggestion]:
        """(client, suggestion) by id."""
        rows = self.db.query("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,))
        if not rows:
            raise RegisterError(f"Suggestie {suggestion_id} bestaat niet.")
        return rows[0]["client"], _from_row(rows[0])

    def decide(self, suggestion_id: int, status: str, actor: str, note: str = "") -> None:
        """Record the decision on an open suggestion (with an audit entry)."""
        client, suggestion = self.get(suggestion_id)
        if suggestion.status != OPEN:
            raise RegisterError(f"Over suggestie {suggestion_id} is al besloten ({suggestion.status}).")
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE suggestions SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (status, actor, now(), suggestion_id),
            )
            detail = f"{suggestion.kind} '{suggestion.value}' ({suggestion.evidence.label()})" + (
                f": {note}" if note else ""
            )
            action = "suggestie geaccepteerd" if status == ACCEPTED else "suggestie afgewezen"
            RegisterTrail.record(conn, actor, client, action, f"register {client}", detail)


def _from_row(row: Any) -> Suggestion:
    return Suggestion(
        kind=row["kind"],
        activity=row["activity"],
        value=row["value"],
        evidence=SourceRef.from_dict(json.loads(row["evidence"])),
        origin=row["origin"],
        detail=row["detail"],
        id=row["id"],
        status=row["status"],
    )


def _body(chunk: ScoredChunk) -> tuple[str, list[str]]:
    lines = reflow(chunk.text)
    heading = str(chunk.metadata.get("heading") or "")
    if heading and lines and lines[0].strip() == heading:
        lines = lines[1:]
    return heading, lines


def _following_items(lines: list[str], start: int) -> list[str]:
    items: list[str] = []
    for line in lines[start:]:
        match = BULLET.match(line)
        if not match:
            break
        items.append(match.group("item"))
    return items


def _clean_items(items: list[str]) -> list[str]:
    cleaned: list[str] = []
    for item in items:
        item = _ARTICLES.sub("", item.strip().strip(".;:,").strip())
        item = item.split(" (")[0].strip()
        if not item or len(item.split()) > 5 or re.search(r"\d", item):
            continue
        if not (len(item) > 1 and item[:2].isupper()):
            item = item[0].lower() + item[1:]
        if item not in cleaned:
            cleaned.append(item)
    return cleaned


def _activity_for(text: str, heading: str, chunk_activity: str, known: list[str], section: str) -> str:
    """The activity a sentence is about: named in it, a known one the sentence names, a known one the
    heading names, then the chunk's own activity, then the heading."""
    match = _ACTIVITY.search(text)
    if match:
        return _capital(" ".join(match.group("name").split()))
    return (
        best_known_activity(text, known) or best_known_activity(heading, known) or chunk_activity or section
    )


#: An abbreviation in capitals ("LSP", "VOG", "CBR").
_ABBREVIATION = re.compile(r"\b[A-Z]{2,5}\b")
#: Abbreviations any text may name whatever activity it is about.
_COMMON_ABBREVIATIONS = frozenset({"AVG", "GDPR", "EU", "EER", "BV", "NV", "VOF", "KVK", "PDF"})


def best_known_activity(text: str, known: list[str], unique: bool = False) -> str:
    """The known activity whose name's words occur most in ``text`` ("" when none does; with
    ``unique``, also "" when two activities name as many words: "Kinddossier: contract, plaatsing" names
    both "Kinddossier en observaties" and "Wachtlijst en plaatsing"). An abbreviation in one activity's
    name that the text names decides ("… niet via het LSP beschikbaar stellen" is "Landelijk Schakelpunt
    (LSP)", not "Medicatieverstrekking" for the word "medicatiegegevens")."""
    said = set(_ABBREVIATION.findall(text)) - _COMMON_ABBREVIATIONS
    abbreviated = [name for name in known if said & set(_ABBREVIATION.findall(name))]
    if len(abbreviated) == 1:
        return abbreviated[0]
    context = set(analyze(text))
    best, best_score, tied = "", 0, False
    for name in known:
        stems = analyze(name)
        score = sum(1 for s in stems if any(related_words(s, c) for c in context))
        if stems and score > best_score:
            best, best_score, tied = name, score, False
        elif stems and score and score == best_score:
            tied = True
    return "" if unique and tied else best


def _known_name(label: str, known: list[str]) -> str:
    """A table row's label as the known activity it names, else the label itself."""
    folded = fold(label).strip()
    exact = next((k for k in known if fold(k).strip() == folded), "")
    return exact or best_known_activity(label, known) or label


def related_words(a: str, b: str) -> bool:
    """Same stem, or a shared prefix of at least 6 letters ("bestell" ~ "bestelgegeven"), or one of five
    letters or more begins the other ("reparatie" ~ "reparatieverzoeken")."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 6 or (common >= 5 and min(len(a), len(b)) == common)


def _make(
    chunk: ScoredChunk,
    kind: str,
    activity: str,
    value: str,
    quote: str,
    detail: str = "",
    origin: str = ORIGIN_PATTERN,
) -> Suggestion:
    meta = chunk.metadata
    evidence = SourceRef(
        document=str(meta.get("document") or meta.get("source") or ""),
        page=int(meta.get("page", -1) or -1),
        quote=" ".join(quote.split()),
        section=str(meta.get("heading") or ""),
        doc_id=str(meta.get("doc_id") or ""),
        content_hash=str(meta.get("content_hash") or ""),
    )
    return Suggestion(kind, activity, value, evidence, origin, detail)


def _dedupe(suggestions: list[Suggestion]) -> list[Suggestion]:
    seen: dict[tuple[str, str, str], Suggestion] = {}
    for s in suggestions:
        seen.setdefault(s.key(), s)
    return list(seen.values())


def _in_register(suggestion: Suggestion, register: Register | None) -> bool:
    if register is None:
        return False
    target = register.activity(suggestion.activity)
    if suggestion.kind == ACTIVITY:
        return target is not None
    if target is None:
        return False
    if suggestion.kind == DATA:
        return fold(suggestion.value) in {fold(c) for c in target.data_categories}
    return fold(suggestion.value) == fold(target.retention)


def _label(chunk: ScoredChunk) -> str:
    meta = chunk.metadata
    page = int(meta.get("page", -1) or -1)
    return str(meta.get("document") or "") + (f", p. {page}" if page > 0 else "")


def _json_object(reply: str) -> Any:
    text = re.sub(r"<think>.*?</think>", "", reply, flags=re.DOTALL)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        return json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return None


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[*_`„“”\"']", "", fold(text)).split())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
