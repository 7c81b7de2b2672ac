"""The consultancy's Compliancy Check checklist: questions per theme, read from and written as YAML.

The shipped checklist (``assistant/features/check/data/checklist.yaml``) is version 1; knowledge managers'
edits become later versions in :mod:`assistant.features.check.checklist_store`. The YAML keys are Dutch
(``thema``, ``vraag``, ``artikelen``, ``goed_bewijs``, ``maatregel``, ``inspanning_dagen``,
``kernbegrippen``) because knowledge managers edit them; the code uses English names.

``vereisten`` (requirements: ``naam``, ``termen`` and optionally ``aanvullend: true`` for an element that
is named when missing but not required, or ``kern: true`` for an element without which the evidence never
*voldoet*, however much else it shows) split ``goed_bewijs`` into the elements good evidence must have,
``periodiek`` marks questions about an activity that must be shown to happen (a frequency or a record,
not a promise), ``tekortkomingen`` lists wordings that show a known weakness; see
:mod:`assistant.features.check.judge`. ``eigen_werkwijze`` marks a question about the organisation's own way
of working, for which a processing agreement (what a processor promises) is no evidence;
``bewijs_uit_privacyverklaring`` a transparency question for which the organisation's privacy statement is
evidence (for every other question it is not); a requirement with ``privacyverklaring_toont: true`` is shown
by a passage of that statement on the subject (the statement is itself the information). See
:mod:`assistant.features.check.document_kinds`.

``kernbegrippen`` (key terms) decide whether a retrieved passage counts as evidence: every
entry must occur in the passage, and an entry may list alternatives separated by ``|``.
See :func:`key_terms_match`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

import yaml

from ingestion.errors import ConfigError
from knowledge.text_analysis import fold

SHIPPED_RESOURCE = "data/checklist.yaml"
#: Alternatives shorter than this match whole words only ("fg", "dpo", "2fa"); longer ones also inside words.
MIN_INFIX_TERM = 5
RISKS: tuple[str, ...] = ("hoog", "midden", "laag")


class ChecklistError(ConfigError):
    """The checklist data is invalid; the message lists the problems in Dutch."""


@dataclass(frozen=True)
class Requirement:
    """One element good evidence must have: a short Dutch name and key terms (as ``kernbegrippen``).

    An ``optional`` (``aanvullend``) element is named when it is missing but not needed for *voldoet*: the
    consultant accepts the core measure without it. An ``essential`` (``kern``) element is what the question
    itself asks for ("door de directie vastgesteld", "binnen 72 uur", "daadwerkelijk verwijderd"): without
    it the evidence is at most *voldoet deels*, however many other elements it shows.
    """

    name: str
    terms: list[str]
    optional: bool = False
    essential: bool = False
    #: Shown by any passage of the organisation's privacy statement on the subject (it informs by being
    #: there).
    shown_by_statement: bool = False

    def to_yaml_dict(self) -> dict[str, Any]:
        """The requirement with the Dutch YAML keys."""
        extra: dict[str, Any] = {"aanvullend": True} if self.optional else {}
        if self.essential:
            extra["kern"] = True
        if self.shown_by_statement:
            extra["privacyverklaring_toont"] = True
        return {"naam": self.name, "termen": list(self.terms), **extra}


@dataclass(frozen=True)
class ChecklistQuestion:
    """One question of the checklist."""

    id: str
    theme: str
    question: str
    articles: list[str]
    good_evidence: str
    measure: str
    effort_days: float
    key_terms: list[str] = field(default_factory=list)
    #: "hoog", "midden" or "laag"; empty: the report's default for the question.
    risk: str = ""
    #: When the question applies at all; empty: always.
    condition: str = ""
    #: The elements good evidence must have (empty: the question is judged by the consultant only).
    requirements: list[Requirement] = field(default_factory=list)
    #: True when the question asks for an activity that must be shown to happen (evaluation, test, training).
    periodic: bool = False
    #: Wordings (alternatives, ``re:`` for a regular expression) that show a known weakness.
    red_flags: list[str] = field(default_factory=list)
    #: About the organisation's own way of working: a processing agreement is no evidence.
    own_practice: bool = False
    #: A transparency question: the organisation's privacy statement is evidence (for other questions it is
    #: not).
    statement_evidence: bool = False

    def to_yaml_dict(self) -> dict[str, Any]:
        """The question with the Dutch YAML keys."""
        extra: dict[str, Any] = {"risico": self.risk} if self.risk else {}
        if self.condition:
            extra["van_toepassing_als"] = self.condition
        if self.requirements:
            extra["vereisten"] = [r.to_yaml_dict() for r in self.requirements]
        if self.periodic:
            extra["periodiek"] = True
        if self.red_flags:
            extra["tekortkomingen"] = list(self.red_flags)
        if self.own_practice:
            extra["eigen_werkwijze"] = True
        if self.statement_evidence:
            extra["bewijs_uit_privacyverklaring"] = True
        return {
            "id": self.id,
            "thema": self.theme,
            "vraag": self.question,
            "artikelen": list(self.articles),
            "goed_bewijs": self.good_evidence,
            "maatregel": self.measure,
            "inspanning_dagen": self.effort_days,
            "kernbegrippen": list(self.key_terms),
            **extra,
        }


@dataclass(frozen=True)
class Checklist:
    """A version of the checklist."""

    version: int
    questions: list[ChecklistQuestion]

    def themes(self) -> list[str]:
        """The themes in order of first appearance."""
        return list(dict.fromkeys(q.theme for q in self.questions))

    def get(self, question_id: str) -> ChecklistQuestion:
        """The question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise ChecklistError(f"Vraag '{question_id}' staat niet in versie {self.version} van de checklist.")

    def to_yaml(self) -> str:
        """The checklist as YAML text (Dutch keys)."""
        data = {"versie": self.version, "vragen": [q.to_yaml_dict() for q in self.questions]}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)

    def to_json(self) -> list[dict[str, Any]]:
        """The questions as plain dicts (English keys), for storage."""
        return [asdict(q) for q in self.questions]


def parse_checklist(text: str, version: int | None = None) -> Checklist:
    """Read checklist YAML; raise :class:`ChecklistError` listing every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChecklistError(f"De checklist is geen geldige YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("vragen"), list):
        raise ChecklistError("De checklist moet een lijst 'vragen' bevatten.")
    questions, problems = [], []
    for index, item in enumerate(data["vragen"], start=1):
        try:
            questions.append(_question_from_yaml(item))
        except ChecklistError as exc:
            problems.append(f"vraag {index}: {exc}")
    problems += _duplicate_ids(questions)
    if problems:
        raise ChecklistError("De checklist bevat fouten:\n" + "\n".join(f"- {p}" for p in problems))
    number = version if version is not None else int(data.get("versie") or 1)
    return Checklist(number, questions)


def questions_from_json(items: list[dict[str, Any]], version: int) -> Checklist:
    """A checklist from the stored form of :meth:`Checklist.to_json`."""
    questions = []
    for item in items:
        requirements = [
            Requirement(
                str(r["name"]),
                list(r["terms"]),
                bool(r.get("optional")),
                bool(r.get("essential")),
                bool(r.get("shown_by_statement")),
            )
            for r in item.get("requirements") or []
        ]
        questions.append(ChecklistQuestion(**{**item, "requirements": requirements}))
    return Checklist(version, questions)


def load_shipped_checklist() -> Checklist:
    """The checklist shipped with the project (version 1)."""
    text = resources.files("assistant.features.check").joinpath(SHIPPED_RESOURCE).read_text(encoding="utf-8")
    return parse_checklist(text, version=1)


def key_terms_match(text: str, key_terms: list[str]) -> bool:
    """True when every key-term entry has at least one alternative in ``text``."""
    folded = _folded_words(text)
    return all(any(_term_in(alt, folded) for alt in _alternatives(entry)) for entry in key_terms)


def matched_terms(text: str, key_terms: list[str]) -> list[str]:
    """The alternatives of ``key_terms`` that occur in ``text``."""
    folded = _folded_words(text)
    return [alt for entry in key_terms for alt in _alternatives(entry) if _term_in(alt, folded)]


def first_match(text: str, entries: list[str]) -> tuple[int, int] | None:
    """(start, length) of the earliest alternative of ``entries`` in ``text`` (folded words; the longest
    at that start), None when none occurs."""
    folded = _folded_words(text)
    spans = [span for entry in entries for alt in _alternatives(entry) for span in _term_spans(alt, folded)]
    if not spans:
        return None
    start = min(s for s, _ in spans)
    return start, max(e - s for s, e in spans if s == start)


def unnegated_match(text: str, entries: list[str]) -> bool:
    """True when an alternative of ``entries`` occurs in ``text`` not negated.

    Negated: "niet", "nooit", "geen", "niets" or "nergens" among the three words before the match ("staat
    niet standaard aangevinkt", "er staat niets vooraf aangevinkt", "wij bewaren geen kopie van het
    identiteitsbewijs"), or right after it ("die kopie bewaren wij niet").
    """
    folded = _folded_words(text)
    for alt in (a for entry in entries for a in _alternatives(entry)):
        for start, end in _term_spans(alt, folded):
            before = folded[:start].split()[-3:]
            after = folded[end:].split()[:2]
            if not _NEGATIONS.intersection(before + after):
                return True
    return False


_NEGATIONS = frozenset({"niet", "nooit", "geen", "niets", "nergens"})


def _term_spans(term: str, folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(_term_regex(term), folded)]


def alternatives(entry: str) -> list[str]:
    """The folded alternatives of one key-term entry ("a|b" → ["a", "b"])."""
    return list(_alternatives(entry))


@functools.lru_cache(maxsize=4096)
def _alternatives(entry: str) -> tuple[str, ...]:
    """Plain alternatives folded to words; from a ``re:`` on, a regular expression on folded text.

    A ``re:`` may follow plain alternatives ("versie|re:\\b(19|20)\\d\\d\\b|datum"): the regular
    expression runs from there to the next ``|re:`` or the end (so "|datum" after it is one of its own
    alternatives). Such an entry was once folded to words as a whole, so "re:…" never matched.
    """
    found: list[str] = []
    for part in re.split(r"\|(?=re:)", entry.strip()):
        if part.startswith("re:"):
            found.append(part)
        else:
            plain = [
                " ".join(re.sub(r"[^a-z0-9']+", " ", fold(a)).split()) for a in part.split("|") if a.strip()
            ]
            found += plain + [p for p in map(_participle, plain) if p and p not in plain]
    return tuple(a for a in found if a)


#: Particles of Dutch separable verbs: their past participle puts "ge" after the particle.
_PARTICLES = ("terug", "door", "over", "vast", "weg", "aan", "mee", "uit", "toe", "bij", "op", "af", "na")


def _participle(term: str) -> str:
    """The past participle's form of a separable verb: "opschoon" → "opgeschoon" (so "niet opgeschoond"
    names the clean-up), "vastleg" → "vastgeleg", "aanmelden" → "aangemeld"; "" for any other term."""
    if " " in term:
        return ""
    for particle in _PARTICLES:
        rest = term[len(particle) :]
        if term.startswith(particle) and len(rest) >= 4 and not rest.startswith("ge"):
            # "aanmelden" → "aangemeld" (also in "aangemelde"), "bijhouden" → "bijgehoud" ("bijgehouden")
            return f"{particle}ge{rest[:-2] if rest.endswith('en') else rest}"
    return ""


def _folded_words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9']+", " ", fold(text)).split())


def _term_in(term: str, folded: str) -> bool:
    if len(term) >= MIN_INFIX_TERM and not term.startswith("re:"):
        return term in folded  # the common case, without a regular expression
    return re.search(_term_regex(term), folded) is not None


def _term_regex(term: str) -> str:
    """The regular expression (on folded words) of one alternative: its own for ``re:``, a substring for a
    long term, a whole word for a short one."""
    if term.startswith("re:"):
        return term[3:]
    if len(term) >= MIN_INFIX_TERM:
        return re.escape(term)
    return rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"


def _question_from_yaml(item: object) -> ChecklistQuestion:
    if not isinstance(item, dict):
        raise ChecklistError("geen sleutel-waardeparen")
    missing = [
        k for k in ("id", "thema", "vraag", "maatregel", "inspanning_dagen") if item.get(k) in (None, "")
    ]
    if missing:
        raise ChecklistError(f"ontbrekende velden: {', '.join(missing)}")
    try:
        effort = float(item["inspanning_dagen"])
    except (TypeError, ValueError) as exc:
        raise ChecklistError("'inspanning_dagen' moet een getal zijn") from exc
    if effort < 0:
        raise ChecklistError("'inspanning_dagen' mag niet negatief zijn")
    risk = str(item.get("risico") or "").strip().lower()
    if risk and risk not in RISKS:
        raise ChecklistError(f"'risico' moet een van {', '.join(RISKS)} zijn")
    key_terms = [str(t) for t in item.get("kernbegrippen") or []]
    if not key_terms or not all(_alternatives(t) for t in key_terms):
        raise ChecklistError(f"'{item['id']}' heeft geen (geldige) kernbegrippen")
    requirements = _requirements(item.get("vereisten"))
    red_flags = [str(t) for t in item.get("tekortkomingen") or []]
    for entry in [*key_terms, *red_flags, *(t for r in requirements for t in r.terms)]:
        for alternative in _alternatives(entry):
            if alternative.startswith("re:"):
                try:
                    re.compile(alternative[3:])
                except re.error as exc:
                    raise ChecklistError(
                        f"'{alternative}' is geen geldige reguliere expressie ({exc})"
                    ) from exc
    return ChecklistQuestion(
        id=str(item["id"]).strip(),
        theme=str(item["thema"]).strip(),
        question=" ".join(str(item["vraag"]).split()),
        articles=[str(a) for a in item.get("artikelen") or []],
        good_evidence=" ".join(str(item.get("goed_bewijs") or "").split()),
        measure=" ".join(str(item["maatregel"]).split()),
        effort_days=effort,
        key_terms=key_terms,
        risk=risk,
        condition=" ".join(str(item.get("van_toepassing_als") or "").split()),
        requirements=requirements,
        periodic=bool(item.get("periodiek")),
        red_flags=red_flags,
        own_practice=bool(item.get("eigen_werkwijze")),
        statement_evidence=bool(item.get("bewijs_uit_privacyverklaring")),
    )


def _requirements(raw: object) -> list[Requirement]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ChecklistError("'vereisten' moet een lijst zijn")
    found = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("naam") or not entry.get("termen"):
            raise ChecklistError("elk vereiste heeft een 'naam' en 'termen'")
        terms = [str(t) for t in entry["termen"]]
        if not all(_alternatives(t) for t in terms):
            raise ChecklistError(f"vereiste '{entry['naam']}' heeft geen geldige termen")
        if entry.get("aanvullend") and entry.get("kern"):
            raise ChecklistError(f"vereiste '{entry['naam']}' kan niet tegelijk 'aanvullend' en 'kern' zijn")
        name = " ".join(str(entry["naam"]).split())
        found.append(
            Requirement(
                name,
                terms,
                bool(entry.get("aanvullend")),
                bool(entry.get("kern")),
                bool(entry.get("privacyverklaring_toont")),
            )
        )
    return found


def _duplicate_ids(questions: list[ChecklistQuestion]) -> list[str]:
    seen: set[str] = set()
    problems = []
    for question in questions:
        if question.id in seen:
            problems.append(f"de id '{question.id}' komt meer dan eens voor")
        seen.add(question.id)
    return problems
