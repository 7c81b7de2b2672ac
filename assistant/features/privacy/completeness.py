"""Completeness check: which mandatory elements of art. 13/14 AVG a privacyverklaring covers.

Works on a generated draft and on an existing statement (PDF, DOCX, HTML, Markdown, text).
The text is split into units (sections, or the chunks of a loaded file); each element has one
or more pattern groups on the folded text (lowercase, no accents):

* **aanwezig** — every group matches inside one unit (e.g. "bewaren" and "7 jaar" together);
* **zwak** — only some groups match ("wij bewaren gegevens niet langer dan nodig", no period);
* **ontbreekt** — nothing matches.

Optionally an embedder lifts a missing element to "zwak" when a unit is semantically close to
the element's description (so a statement in unexpected words is flagged for a human, never
passed as complete). With the client's register the check also knows which conditional
elements apply (legitimate interest, transfers, consent, art. 14) and which facts the register
itself lacks; a draft's ``[AANVULLEN: …]`` gaps count as missing.

The element definitions and their patterns live in :mod:`.completeness_rules`.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.features.privacy.completeness_rules import (
    BASIS_RIGHTS,
    BASIS_WORDS,
    COMPILED,
    DATA_ITEM,
    F_TYPICAL,
    NOT_USED,
    NOTHING,
    PROCESSOR_KINDS,
    PURPOSE_BASIS,
    PURPOSE_LEAD,
    SILENT,
    UNIT_CUES,
    VAGUE,
)
from assistant.features.privacy.completeness_rules import ELEMENT_KEYS as ELEMENT_KEYS  # public here too
from assistant.features.privacy.completeness_rules import ELEMENTS as ELEMENTS
from assistant.features.privacy.completeness_rules import Element as Element
from assistant.features.privacy.countries import in_eea
from assistant.features.privacy.model import NO, PROCESSOR, YES, Register, invalid_safeguard
from assistant.features.privacy.statement import PLACEHOLDER_PATTERN, Draft
from ingestion.document_chunker import HEADING_SEPARATOR
from knowledge.text_analysis import fold, plain_words

if TYPE_CHECKING:
    from knowledge.embeddings import IdentifiedEmbeddings

PRESENT = "aanwezig"
WEAK = "zwak"
MISSING = "ontbreekt"
NOT_APPLICABLE = "niet van toepassing"
_RANK = {NOT_APPLICABLE: 0, PRESENT: 0, WEAK: 1, MISSING: 2}


@dataclass(frozen=True)
class SemanticRule:
    """Semantic lift (see :func:`_semantic`): the least cosine similarity, and the least lead of the
    nearest element description over the runner-up. Defaults measured with multilingual-e5-small;
    other embedders get theirs from their calibration profile (``assistant/tuning.py``)."""

    min_similarity: float = 0.85
    margin: float = 0.01


@dataclass
class ElementResult:
    """The outcome for one element."""

    key: str
    label: str
    article: str
    status: str
    note: str = ""
    evidence: str = ""

    @classmethod
    def of(cls, element: Element, status: str, note: str = "", evidence: str = "") -> ElementResult:
        """The result for ``element``: its key, label and article with this status."""
        return cls(element.key, element.label, element.article, status, note, evidence)


@dataclass
class CompletenessReport:
    """Per element: present, weak, missing or not applicable."""

    source: str
    results: list[ElementResult] = field(default_factory=list)
    placeholders: int = 0
    gapped: list[str] = field(default_factory=list)  # elements whose text holds an [AANVULLEN] gap

    def result(self, key: str) -> ElementResult:
        """The result of element ``key``."""
        return next(r for r in self.results if r.key == key)

    def status(self, key: str) -> str:
        """The status of element ``key``."""
        return self.result(key).status

    def with_status(self, status: str) -> list[str]:
        """Keys of the elements with ``status``."""
        return [r.key for r in self.results if r.status == status]

    @property
    def complete(self) -> bool:
        """True when no element is missing or weak and no ``[AANVULLEN: …]`` gap is left."""
        return not self.placeholders and not any(r.status in (MISSING, WEAK) for r in self.results)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "bron": self.source,
            "volledig": self.complete,
            "open_plekken": self.placeholders,
            "elementen": [asdict(r) for r in self.results],
        }

    def to_markdown(self) -> str:
        """A Dutch Markdown table for the UI and the CLI."""
        icons = {PRESENT: "✅", WEAK: "⚠️", MISSING: "❌", NOT_APPLICABLE: "➖"}
        lines = [
            f"**Volledigheid van {self.source}**" if self.source else "**Volledigheid**",
            "",
            "| | Onderdeel | Artikel | Status | Toelichting |",
            "|---|---|---|---|---|",
        ]
        for r in self.results:
            note = r.note.replace("|", "/").replace("\n", " ")
            lines.append(f"| {icons[r.status]} | {r.label} | {r.article} | {r.status} | {note} |")
        if self.placeholders:
            lines += [
                "",
                f"Nog {self.placeholders} open plek(ken) [AANVULLEN: …]: de verklaring is niet volledig.",
            ]
        return "\n".join(lines)


def check_text(
    text: str,
    register: Register | None = None,
    embedder: IdentifiedEmbeddings | None = None,
    source: str = "",
    rule: SemanticRule | None = None,
) -> CompletenessReport:
    """Check a statement given as (Markdown or plain) text."""
    return check_units(split_units(text), register, embedder, source, rule)


def check_file(
    path: Path,
    register: Register | None = None,
    embedder: IdentifiedEmbeddings | None = None,
    rule: SemanticRule | None = None,
    automated: str = "",
    transfer: str = "",
) -> CompletenessReport:
    """Check an existing statement file (PDF, DOCX, HTML, Markdown, text): the file's own text.

    With ``register`` the register only says which conditional elements apply; its own gaps are not
    the file's and are not reported here. ``automated``: a sentence of the client's documents that
    describes an automatic decision about a person; ``transfer``: what the documents show of a transfer
    outside the EEA the register does not record (see :func:`check_units`).
    """
    from ingestion.loader import load_file

    parsed = load_file(Path(path))
    units: list[str] = []
    headings: list[str] = []
    for chunk in parsed.chunks:
        heading = str(chunk.metadata.get("heading", ""))
        unit = _own_heading(chunk.page_content, heading)
        if unit.strip():
            units.append(unit)
            headings.append(heading)
    title = parsed.title or Path(path).name
    sections = _sections_of_paths(headings)
    return check_units(
        units,
        register,
        embedder,
        title,
        rule,
        register_gaps=False,
        sections=sections,
        automated=automated,
        transfer=transfer,
    )


def check_draft(
    draft: Draft,
    register: Register | None = None,
    embedder: IdentifiedEmbeddings | None = None,
    rule: SemanticRule | None = None,
) -> CompletenessReport:
    """Check a generated draft: its text, its ``[AANVULLEN: …]`` gaps and, with ``register``, the facts."""
    units = [f"{s.title}\n{s.text}" for s in draft.sections]
    report = check_units(units, register, embedder, draft.title, rule)
    for result in report.results:
        section = draft.section(result.key)
        if section is not None and section.has_placeholder:  # the draft itself says it applies
            gaps = re.findall(r"\[AANVULLEN: ([^\]]*)\]", section.text)
            result.status = MISSING
            result.note = _join_notes("nog aan te vullen: " + "; ".join(gaps), result.note)
    return report


#: A statement naming consent as the basis of something: "alleen met toestemming van de deelnemer", "op
#: basis van uw toestemming" (not "zonder uw toestemming").
_CONSENT_NAMED = re.compile(
    r"\b(?:met|op basis van|op grond van|na)\s+(?:uw |jouw |je |hun |zijn |haar |de |het )?(?:\w+ )?"
    r"toestemming\b"
    # "wij vragen hiervoor toestemming", "als u daarvoor toestemming heeft gegeven", "u geeft toestemming"
    # (not "wij vragen geen toestemming")
    r"|\b(?:vragen|vraagt|vraag|geeft|geef|geven|gaf)\b(?: (?!geen\b|niet\b)\w+){0,3} toestemming\b"
    r"|\btoestemming (?:\w+ ){0,2}gegeven\b"
    r"|\b(?:u|je|jij|ouders|zij)\s+(?:\w+\s+){0,2}toestemming\s+(?:geeft|geven)\b"
)


def check_units(
    units: list[str],
    register: Register | None = None,
    embedder: IdentifiedEmbeddings | None = None,
    source: str = "",
    rule: SemanticRule | None = None,
    register_gaps: bool = True,
    sections: list[str] | None = None,
    automated: str = "",
    transfer: str = "",
) -> CompletenessReport:
    """Check text units (sections or chunks) against every element.

    A ``[AANVULLEN: …]`` gap is taken out of the text before matching (its words never count), and
    every element of a unit that holds one is "ontbreekt". With ``register_gaps`` the register's
    own missing facts are reported too (for a draft built from it; not for an uploaded file).
    ``sections``: per unit, the section it is a subsection of (see :func:`_sections`; by default read
    from the units' Markdown headings). ``automated``: a sentence of the client's documents that describes
    an automatic decision about a person; a statement that denies automated decisions or is silent about
    them then lacks the element (art. 13 lid 2 sub f AVG), whatever the register records. ``transfer``:
    the transfers outside the EEA the client's documents show and the register does not record; a
    statement that says nothing leaves the EEA, or is silent about it, then lacks the element (art. 13
    lid 1 sub f AVG).
    """
    gaps = [PLACEHOLDER_PATTERN.findall(u) for u in units]
    units = [PLACEHOLDER_PATTERN.sub(" ", u) for u in units]
    folded = [" ".join(fold(u).split()) for u in units]
    register = register.own_processing() if register is not None else None
    applicable = applicability(register) if register is not None else {}
    facts = register_findings(register) if register is not None and register_gaps else {}
    gapped = _gapped_elements(units, folded, gaps)
    whole = " ".join(folded)
    # An uploaded statement that tells its readers it relies on their consent owes them how to withdraw it
    # (art. 13 lid 2 sub c AVG), whatever the register records.
    consent_named = _CONSENT_NAMED.search(whole) is not None
    if not register_gaps and consent_named and applicable.get("toestemming_intrekken") is False:
        applicable["toestemming_intrekken"] = True
    # Processing that usually rests on legitimate interest (analytics, cameras, fraud checks) with that
    # basis never named: its absence is a gap, not "niet van toepassing".
    # ("geen tracking- of analysecookies" says it is not done; "analytische cookies die geen inbreuk maken"
    # are the privacy-friendly kind, read before the negation is taken out)
    f_typical = (
        re.search(F_TYPICAL, whole) is not None and re.search(F_TYPICAL, NOT_USED.sub(" ", whole)) is not None
    )
    report = CompletenessReport(source, placeholders=sum(len(g) for g in gaps), gapped=sorted(gapped))
    sections = sections if sections is not None else _sections(units)
    # A section's subsections are one part of the statement too ("6.1 Doel" and "6.2 Rechtsgrond"): they
    # are matched after the units themselves, so a single unit stays the evidence where it suffices.
    groups = [
        [i for i, parent in enumerate(sections) if parent == section]
        for section in dict.fromkeys(p for p in sections if p)
    ]
    groups = [group for group in groups if len(group) > 1]
    merged_units = units + ["\n\n".join(units[i] for i in group) for group in groups]
    for element in ELEMENTS:
        # "wij nemen geen geautomatiseerde besluiten" says there is nothing; it is no evidence of the element
        nothing = _nothing_to_report(element, folded, units)
        checked = _without_nothing(element, folded) if nothing else folded
        checked = checked + [" ".join(checked[i] for i in group) for group in groups]
        status, note, evidence = _match(
            element, checked, merged_units, _skipped_groups(element, register, whole)
        )
        if element.key == "doelen" and status == PRESENT:
            status, note = _purposes_with_basis(units, sections)
        if element.key == "bewaartermijnen" and status == PRESENT:
            status, note = _retention_per_purpose(units, status, note)
        if element.key == "gerechtvaardigd_belang" and status == PRESENT:
            status, note = _interest_named(units)
        if element.key == "doorgifte" and status == PRESENT and (struck := _struck_down_safeguard(units)):
            # "alleen aan partijen die gecertificeerd zijn onder het EU-US Privacy Shield": a safeguard the
            # Court of Justice struck down (Schrems II, 2020) is no safeguard (art. 13 lid 1 sub f AVG)
            status = WEAK
            note = f"noemt het {struck} als waarborg, dat het Hof van Justitie ongeldig verklaarde"
        if element.key == "identiteit" and status == PRESENT and not _REACHABLE.search(whole):
            status, note = WEAK, "alleen naam en e-mailadres: noem ook adres, telefoonnummer of KvK-nummer"
        if (
            element.key == "identiteit"
            and status == PRESENT
            and register is not None
            and (
                differs := identity_differs(
                    whole, register.controller.kvk, register.controller.address, fold(evidence)
                )
            )
        ):
            status, note = WEAK, differs
        if element.key == "ontvangers" and status == PRESENT and not _processors_named(whole, register):
            # the police or a debt collector named, the software, hosting and mail that hold the data not
            status, note = WEAK, "niet genoemd: verwerkers (wie namens ons werkt, zoals software en hosting)"
        if (
            element.key == "ontvangers"
            and status == PRESENT
            and (unnamed := _third_parties_unnamed(whole, register))
        ):
            # "partijen die wij inschakelen, zoals onderhoudsbedrijven" while the register records the
            # municipality, a bailiff and a care network: the reader does not learn who else gets the data
            status, note = WEAK, "niet genoemd (wel in het register): " + unnamed
        if (
            element.key == "ontvangers"
            and status == PRESENT
            and (claim := _CONSENT_ONLY_SHARING.search(whole))
            and (shared := _shared_without_consent(register))
        ):
            # "wij delen gegevens nooit met anderen zonder uw toestemming" while the register records the
            # municipality and Veilig Thuis on a legal duty: the reader is told what is not true
            status, note = (
                WEAK,
                f"de verklaring zegt „{_short(claim.group(), 90)}”, maar het register noemt ontvangers "
                f"zonder toestemming als grondslag: {shared}",
            )
        if (
            element.key == "toestemming_intrekken"
            and status == PRESENT
            and (limited := _withdrawal_limited(checked))
        ):
            # "u kunt uw toestemming intrekken nadat uw traject is afgesloten": consent can be withdrawn at
            # any time, as easily as it was given (art. 7 lid 3 AVG)
            status, note = (
                WEAK,
                (
                    f"de verklaring beperkt het intrekken („{limited}”); toestemming kan altijd worden "
                    "ingetrokken, even eenvoudig als zij is gegeven (art. 7 lid 3 AVG)"
                ),
            )
        if element.key == "geautomatiseerde_besluiten" and automated:
            denied = bool(nothing) or _denies_decisions(evidence)
            if denied or status != PRESENT:
                said = "ontkent dat" if denied else "noemt het niet"
                report.results.append(
                    ElementResult.of(
                        element,
                        MISSING,
                        f"de documenten beschrijven een automatisch besluit („{automated}”); de verklaring "
                        + said,
                        nothing or evidence,
                    )
                )
                continue
        if element.key == "doorgifte" and transfer and status != PRESENT:
            # (a statement that names a transfer with its safeguard and says the rest stays in the EU is
            # present: the sentence that says "nothing" was taken out before matching)
            said = "zegt dat er niets buiten de EER gaat" if nothing else "noemt die niet"
            report.results.append(
                ElementResult.of(
                    element,
                    MISSING,
                    f"de documenten tonen doorgifte buiten de EER ({_short(transfer, 200)}); "
                    f"de verklaring {said}",
                    nothing or evidence,
                )
            )
            continue
        if (
            nothing
            and element.key in ("bron", "categorieen")
            and applicable.get(element.key) is True
            and register is not None
            and _match(element, _without_questions(checked), merged_units)[0] != PRESENT
        ):
            # "wij gebruiken alleen gegevens die u zelf aan ons geeft" while the register (or a client
            # document) records another source: the statement says what is not true (art. 14 AVG)
            report.results.append(
                ElementResult.of(
                    element,
                    MISSING,
                    "de verklaring zegt dat de gegevens van u zelf komen, maar het register (of een document "
                    f"van de klant) noemt een andere bron ({_other_sources(register)})",
                    nothing,
                )
            )
            continue
        if applicable.get(element.key) is False and status != PRESENT:
            report.results.append(ElementResult.of(element, NOT_APPLICABLE, element.condition))
            continue
        if nothing and status != PRESENT and applicable.get(element.key) is not True:
            # Saying so is the information the reader is owed ("wij nemen geen besluiten die alleen door
            # een computer worden genomen"): consultants count it as present, not as "niet van toepassing".
            report.results.append(
                ElementResult.of(
                    element,
                    PRESENT,
                    "de verklaring zegt dat dit niet voorkomt",
                    nothing,
                )
            )
            continue
        if (
            status == MISSING
            and element.key not in gapped
            and register is None
            and (element.key != "gerechtvaardigd_belang" or not f_typical)
            and element.key in SILENT
            and not SILENT[element.key].search(
                NOT_USED.sub(" ", whole) if element.key == "doorgifte" else whole
            )
        ):
            report.results.append(
                ElementResult.of(
                    element,
                    NOT_APPLICABLE,
                    f"de verklaring noemt niets wat hierop wijst ({element.condition}); controleer dit",
                )
            )
            continue
        if element.key in gapped:
            status = MISSING
            note = _join_notes("nog aan te vullen: " + "; ".join(gapped[element.key]), note)
        elif status == MISSING and element.condition and register is None:
            note = _join_notes(note, f"{element.condition}: controleer of dit van toepassing is")
        if element.key in facts:
            fact_status, fact_note = facts[element.key]
            if _RANK[fact_status] > _RANK[status]:
                status = fact_status
            note = _join_notes(note, fact_note)
        report.results.append(ElementResult.of(element, status, note, evidence))
    if embedder is not None:
        claimed = {
            i for i, unit in enumerate(folded) if any(p.search(unit) for g in COMPILED.values() for _, p in g)
        }
        unclaimed = [u for i, u in enumerate(units) if i not in claimed]
        _semantic(report, unclaimed, embedder, rule or SemanticRule())
    return report


_DECISION_WORDS = re.compile(
    r"\b(?:besluit\w*|beslis\w*|beslist|geautomatiseerd\w*|computer\w*|automatisch\w*)\b"
)
_DENIAL = re.compile(r"\b(?:geen|nooit|niet)\b")


def _denies_decisions(evidence: str) -> bool:
    """Whether the statement's passage on automated decisions only denies them ("Een computer beslist bij
    ons nooit zelfstandig over jou"): every sentence about deciding has a negation."""
    about = [s for s in re.split(r"(?<=[.!?;])\s+", fold(evidence)) if _DECISION_WORDS.search(s)]
    return bool(about) and all(_DENIAL.search(s) for s in about)


def _section_titles() -> dict[str, str]:
    """Folded section title of the draft templates → element key."""
    from assistant.features.privacy.templates import load_template

    return {" ".join(fold(load_template(f"privacy_section_{k}").title).split()): k for k in ELEMENT_KEYS}


def _gapped_elements(units: list[str], folded: list[str], gaps: list[list[str]]) -> dict[str, list[str]]:
    """Element key → the ``[AANVULLEN: …]`` texts in its units.

    A unit belongs to the element its heading names (a draft's section title), else to the elements
    whose patterns it matches; a gap in a unit no element matches counts for none (but still keeps
    the statement from being complete).
    """
    titles = _section_titles()
    found: dict[str, list[str]] = {}
    for unit, text, unit_gaps in zip(units, folded, gaps, strict=True):
        if not unit_gaps:
            continue
        first = " ".join(fold(unit.strip().split("\n", 1)[0].strip("#* ")).split())
        if first in titles:
            keys = [titles[first]]
        else:
            keys = [e.key for e in ELEMENTS if all(p.search(text) for _, p in COMPILED[e.key])]
            keys = keys or [e.key for e in ELEMENTS if any(p.search(text) for _, p in COMPILED[e.key])]
        for key in keys:
            found.setdefault(key, []).extend(
                " ".join(g.strip("[]").partition(":")[2].split()) or g for g in unit_gaps
            )
    return found


def _skipped_groups(element: Element, register: Register | None, whole: str) -> set[str]:
    """Rights groups that need not be there: portability and objection only for some legal bases."""
    if element.key != "rechten":
        return set()
    skipped: set[str] = set()
    for right, bases in BASIS_RIGHTS.items():
        if register is not None and register.activities:
            needed = any(a.legal_basis in bases for a in register.activities)
        else:
            needed = re.search(BASIS_WORDS[right], whole) is not None
        if not needed:
            skipped.add(right)
    return skipped


def _without_questions(folded: list[str]) -> list[str]:
    """The units without their questions: "waar komen uw gegevens vandaan?" is a heading, not an answer."""
    return [
        " ".join(part for part in re.split(r"(?<=[.!?])\s+", text) if not part.endswith("?"))
        for text in folded
    ]


def _other_sources(register: Register) -> str:
    """The sources the register records for data not obtained from the person, shortened."""
    sources = dict.fromkeys(" ".join(a.source.split()) for a in register.activities if a.from_other_source)
    return _short("; ".join(sources), 160)


def _without_nothing(element: Element, folded: list[str]) -> list[str]:
    """The units with the sentences that say the element does not occur taken out."""
    pattern = NOTHING[element.key]
    return [
        " ".join(part for part in re.split(r"(?<=[.!?])\s+", text) if not pattern.search(part))
        for text in folded
    ]


#: Withdrawing consent made conditional or put off: "intrekken nadat uw traject is afgesloten", "pas na afloop
#: van de cursus", "kunt u niet intrekken" ("niet met terugwerkende kracht" is what art. 7 lid 3 says).
_WITHDRAWAL_LIMITED = re.compile(
    r"\b(?:intrekken|in te trekken|ingetrokken)\b[^.;:]{0,40}?"
    r"\b(?:nadat|(?:pas |alleen )?na (?:afloop|afsluiting|beeindiging|afronding|het einde|einde)"
    r"|pas (?:na|als|wanneer|nadat)|alleen (?:als|wanneer|na|nadat))\b[^.;]*"
    r"|\b(?:pas|alleen) (?:na|nadat|als|wanneer)\b[^.;]{0,60}\b(?:intrekken|in te trekken)\b[^.;]*"
    r"|\btoestemming\b[^.;]{0,60}"
    r"\bniet (?:meer )?(?:intrekken|in te trekken|worden ingetrokken|ingetrokken worden)\b"
)


def _withdrawal_limited(folded: list[str]) -> str:
    """The words where the statement limits withdrawing consent, or ""."""
    for text in folded:
        for found in _WITHDRAWAL_LIMITED.finditer(text):
            if "toestemming" in text[max(0, found.start() - 120) : found.end()]:
                return " ".join(found.group().split())[:120]
    return ""


def _nothing_to_report(element: Element, folded: list[str], units: list[str]) -> str:
    """The passage where the statement says the element does not occur, or ""."""
    pattern = NOTHING.get(element.key)
    if pattern is None:
        return ""
    for text, unit in zip(folded, units, strict=True):
        if pattern.search(text):
            return _snippet(unit)
    return ""


def applicability(register: Register) -> dict[str, bool]:
    """Which conditional elements apply to ``register`` (True) or not (False); absent: the register is
    silent (transfers not recorded either way)."""
    activities = register.activities
    other_source = any(a.from_other_source for a in activities)
    found: dict[str, bool] = {
        "gerechtvaardigd_belang": any(a.legal_basis == "f" for a in activities),
        "categorieen": other_source,
        "bron": other_source,
        "toestemming_intrekken": any(a.legal_basis == "a" or a.art9_exception == "a" for a in activities),
        "verplichting": any(not a.from_other_source for a in activities),
    }
    transfers = [a.has_transfers for a in activities]
    if YES in transfers:
        found["doorgifte"] = True
    elif transfers and all(t == NO for t in transfers):
        found["doorgifte"] = False
    return found


def register_findings(register: Register) -> dict[str, tuple[str, str]]:
    """Per element, what the register itself lacks: (status, Dutch note)."""
    findings: dict[str, tuple[str, str]] = {}
    controller = register.controller
    if not controller.name or not (controller.email or controller.phone or controller.address):
        findings["identiteit"] = (MISSING, "het register mist naam of contactgegevens van de organisatie")

    def per_activity(key: str, lacking: list[str], what: str) -> None:
        if lacking:
            findings[key] = (MISSING, f"geen {what} in het register voor: {', '.join(lacking)}")

    activities = register.activities
    per_activity(
        "doelen", [a.name for a in activities if not a.purpose or not a.legal_basis], "doel of grondslag"
    )
    per_activity(
        "gerechtvaardigd_belang",
        [a.name for a in activities if a.legal_basis == "f" and not a.legitimate_interest],
        "beschreven belang",
    )
    per_activity("bewaartermijnen", [a.name for a in activities if not a.retention], "bewaartermijn")
    per_activity(
        "verplichting",
        [a.name for a in activities if not a.from_other_source and not a.requirement],
        "verplichting en gevolgen",
    )
    unsafe = [t.country for a in activities for t in a.transfers if not t.safeguard] + [
        r.country
        for a in activities
        for r in a.recipients
        if not in_eea(r.country) and not any(fold(t.country) == fold(r.country) for t in a.transfers)
    ]
    if unsafe:
        findings["doorgifte"] = (
            MISSING,
            f"geen waarborg in het register voor doorgifte naar: {', '.join(unsafe)}",
        )
    return findings


def split_units(text: str) -> list[str]:
    """Text → units: a Markdown heading starts a new unit; otherwise blank lines separate paragraphs."""
    units: list[str] = []
    current: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        if block.lstrip().startswith("#") and current:
            units.append("\n".join(current))
            current = []
        current.append(block.strip())
    if current:
        units.append("\n".join(current))
    return [u for u in units if u.strip()]


def _match(
    element: Element, folded: list[str], units: list[str], skipped: set[str] | None = None
) -> tuple[str, str, str]:
    groups = [(n, p) for n, p in COMPILED[element.key] if n not in (skipped or set())]
    found: dict[str, int] = {}
    cue = UNIT_CUES.get(element.key)
    for index, unit in enumerate(folded):
        if cue is not None and not cue.search(unit):
            continue
        hits = [name for name, pattern in groups if pattern.search(unit)]
        for name in hits:
            found.setdefault(name, index)
        if element.same_unit and len(hits) == len(groups):
            return PRESENT, "", _snippet(units[index])
    vague = VAGUE.get(element.key)
    if vague is not None and element.same_unit:
        # with a vagueness rule, "zwak" means: the topic with vague wording in one unit
        topic = groups[0][1]
        for index, unit in enumerate(folded):
            if (vague.search(unit) and (len(groups) == 1 or topic.search(unit))) or (
                element.topic_is_weak and topic.search(unit)
            ):
                lacking = [name for name, pattern in groups if not pattern.search(unit)]
                note = ("niet gevonden: " + ", ".join(lacking) + "; ") if lacking else ""
                return WEAK, note + "te vaag: " + _vague_note(element), _snippet(units[index])
        return MISSING, "", ""
    if not found or (element.same_unit and element.key != "identiteit" and groups[0][0] not in found):
        return MISSING, "", ""  # a detail without its topic ("gevolgen" alone) is no evidence
    first = units[min(found.values())]
    lacking = [name for name, _ in groups if name not in found]
    if not element.same_unit and len(found) == len(groups):
        return PRESENT, "", _snippet(first)
    if not element.same_unit and len(lacking) == 1 and lacking[0] in element.may_lack:
        # portability applies only with consent or a contract: a list without it is complete
        return PRESENT, "niet genoemd: " + lacking[0], _snippet(first)
    if not lacking:
        return WEAK, "wel genoemd, maar niet samen in één onderdeel", _snippet(first)
    return WEAK, "niet gevonden: " + ", ".join(lacking), _snippet(first)


def _purposes_with_basis(units: list[str], sections: list[str] | None = None) -> tuple[str, str]:
    """ "aanwezig" when every purpose the statement lists has its legal basis, else "zwak".

    A purpose is a list item under a line or heading about purposes ("Wij gebruiken uw gegevens om:",
    "## Doelen"), or a paragraph that says what data are used for. It has its basis when its own text,
    the line introducing its list or its section heading names one (toestemming, overeenkomst,
    wettelijke verplichting, gerechtvaardigd belang, algemeen belang/publieke taak, vitaal belang,
    art. 6), or a subsection beside it on the legal basis ("6.1 Doel", "6.2 Rechtsgrond"). A basis named
    for only some purposes leaves the others without one.
    """
    purposes = _purposes(units, sections)
    lacking = [_snippet(item.lstrip("-*• "), 60) for item, covered in purposes if not covered]
    if lacking:
        shown = "; ".join(lacking[:3]) + (" …" if len(lacking) > 3 else "")
        return WEAK, f"grondslag niet genoemd bij {len(lacking)} van {len(purposes)} doelen: {shown}"
    return PRESENT, ""


def _purposes(units: list[str], sections: list[str] | None = None) -> list[tuple[str, bool]]:
    """The purposes the statement lists (see :func:`_purposes_with_basis`), each with whether its legal
    basis is named."""
    found: list[tuple[str, bool]] = []
    # "Wij gebruiken uw gegevens omdat dit nodig is voor een taak die de wet ons geeft (algemeen
    # belang)" after the list: one basis said for all the purposes of the section (which may be split
    # over several units with the same heading).
    said_for_all = {
        _heading(lines)
        for lines in ([line.strip() for line in unit.split("\n")] for unit in units)
        if any(_basis_for_all(text, lead is None) for text, lead in _items(lines))
    }
    sections = sections if sections is not None else _sections(units)
    # "### 6.1 Doel" with "### 6.2 Rechtsgrond" beside it: the basis subsection covers the purposes of
    # its section (not of the whole statement: the title is no section).
    basis_beside = {
        parent
        for unit, parent in zip(units, sections, strict=True)
        if parent
        and _BASIS_HEADING.search(_heading(unit.split("\n")))
        and re.search(PURPOSE_BASIS, fold(unit))
    }
    for unit, parent in zip(units, sections, strict=True):
        lines = [line.strip() for line in unit.split("\n")]
        heading = _heading(lines)
        items = _items(lines)
        said = bool(heading and heading in said_for_all) or parent in basis_beside
        heading_basis = re.search(PURPOSE_BASIS, heading) is not None or said
        for item, lead in items:
            text, lead_text = fold(item), fold(lead or "")
            if lead is not None:
                if not (re.search(PURPOSE_LEAD, lead_text) or re.search(PURPOSE_LEAD, heading)):
                    continue
                if _RIGHTS_LEAD.search(lead_text) or _RIGHTS_LEAD.search(heading):
                    continue  # "U heeft het recht om:" lists rights, not purposes
                if re.search(DATA_ITEM, text):
                    continue
                covered = re.search(PURPOSE_BASIS, text) or re.search(PURPOSE_BASIS, lead_text)
            else:
                if item == lines[0] or not any(
                    COMPILED["doelen"][0][1].search(t) and not _MINIMISATION.search(t)
                    for t in re.split(r"(?<=[.!?])\s+", text)
                ):
                    continue  # "wij verwerken alleen gegevens die nodig zijn voor …" names no purpose
                if re.search(r"\bbewa(ar|ren|rd|ard)\b|hoe lang", text) and not re.search(_USE, text):
                    continue  # "wij bewaren uw gegevens niet langer dan nodig voor het doel" is retention
                covered = re.search(PURPOSE_BASIS, text)
            found.append((item, bool(covered or heading_basis)))
    return found


#: Data minimisation said in general (folded): "wij verwerken uitsluitend persoonsgegevens die noodzakelijk
#: zijn voor de organisatie van het evenement" limits the data, it lists no purpose.
_MINIMISATION = re.compile(
    r"\b(alleen|uitsluitend|enkel|slechts)\b (de |die )?(persoons)?gegevens (\w+ ){0,2}die (\w+ ){0,2}"
    r"(noodzakelijk|nodig|strikt noodzakelijk) zijn"
)
_BASIS_HEADING = re.compile(r"^#*\s*[\d.]*\s*(rechtsgrond|grondslag|juridische basis)(en)?\b")
_MARKDOWN_HEADING = re.compile(r"^(#+)\s")


def _sections(units: list[str]) -> list[str]:
    """Per unit, the folded heading of the section it is a subsection of ("" when none, and for the
    sections right under the statement's title, which stands alone at its level): "### 6.1 Doel" lies
    in "## 6. Foto's"."""
    levels = [len(m.group(1)) if (m := _MARKDOWN_HEADING.match(unit.lstrip())) else 0 for unit in units]
    # the statement's title is alone at its level; sections have siblings
    siblings = {level: levels.count(level) for level in levels if level}
    parents: list[str] = []
    open_sections: list[tuple[int, str]] = []
    for unit, level in zip(units, levels, strict=True):
        if not level:
            parents.append("")
            continue
        while open_sections and open_sections[-1][0] >= level:
            open_sections.pop()
        parent = open_sections[-1] if open_sections else None
        parents.append(parent[1] if parent and siblings[parent[0]] > 1 else "")
        open_sections.append((level, fold(unit.lstrip().split("\n")[0])))
    return parents


#: A sentence that says the mechanism no longer holds ("het Privacy Shield is in 2020 ongeldig verklaard").
_STRUCK_SAID = re.compile(r"\b(ongeldig|vervallen|vernietigd|niet meer geldig|opgevolgd|vervangen|schrems)\b")


def _struck_down_safeguard(units: list[str]) -> str:
    """The struck-down transfer mechanism ("Privacy Shield", "Safe Harbor") a sentence of the statement
    relies on, or "" (not a sentence that says it is no longer valid)."""
    for unit in units:
        for sentence in re.split(r"(?<=[.!?])\s+", unit):
            if (struck := invalid_safeguard(sentence)) and not _STRUCK_SAID.search(fold(sentence)):
                return struck
    return ""


def _sections_of_paths(paths: list[str]) -> list[str]:
    """:func:`_sections` for units from a loaded file, by their heading paths ("Titel > 6. Foto's >
    6.1 Doel" lies in "Titel > 6. Foto's"; a section right under the title lies in none)."""
    parts = [[p.strip() for p in path.split(HEADING_SEPARATOR)] if path else [] for path in paths]
    per_depth: dict[int, set[str]] = {}
    for path in parts:
        for depth in range(1, len(path) + 1):
            per_depth.setdefault(depth, set()).add(" > ".join(path[:depth]))
    return [
        fold(" > ".join(path[:-1])) if len(path) >= 2 and len(per_depth[len(path) - 1]) > 1 else ""
        for path in parts
    ]


#: A legitimate interest named only in general: in a condition ("indien wij een gerechtvaardigd belang
#: hebben", "tenzij er een gerechtvaardigd belang is"), as "de gerechtvaardigde belangen van <organisatie>",
#: or in the right to object ("bezwaar … op basis van ons gerechtvaardigd belang").
_GENERAL_INTEREST = re.compile(
    r"\b(indien|als|tenzij|wanneer|mits)\b[^.;:]{0,60}gerechtvaardigd\w* belang"
    r"|gerechtvaardigd\w* belang\w* van (de |het )?[a-z]+(?! bij\b)"
    r"|\b(bezwaar|recht|rechten)\b[^.;]{0,120}gerechtvaardigd\w* belang"
    r"|gerechtvaardigd\w* belang\w*[^.;]{0,30}\b(rechtsgrond|grondslag) (voor|van) de verwerking is"
    # "sommige gegevens verwerken wij omdat wij daar een gerechtvaardigd belang bij hebben": which interest?
    r"|\b(daar|er|daarbij) (\w+ ){0,3}gerechtvaardigd\w* belang\w* bij (hebben|heeft)\b"
)
_INTEREST = re.compile(r"gerechtvaardigd\w* belang")
#: The words of a sentence that names a legitimate interest and nothing else: no processing, no interest
#: ("Wij verwerken gegevens ook op basis van ons gerechtvaardigd belang", "Sommige gegevens verwerken wij op
#: grond van ons gerechtvaardigd belang").
_BARE_INTEREST_WORDS = frozenset(
    "wij we ik verwerken verwerkt gebruiken gebruikt gegevens persoonsgegevens uw je jouw ook soms sommige "
    "bepaalde enkele andere overige daarnaast verder tevens op basis grond van ons onze het de een "
    "gerechtvaardigd gerechtvaardigde belang belangen kunnen kan worden wordt in gevallen en of die deze "
    "beroepen zich".split()
)


def _bare(sentence: str) -> bool:
    """Whether the (folded) sentence names a legitimate interest without any processing or interest."""
    return set(re.findall(r"[a-z]+", sentence)) <= _BARE_INTEREST_WORDS


#: Contact details beyond an e-mail address (folded text): a postal address (postcode, street and number,
#: PO box), a telephone number or a Chamber of Commerce number. A name with only an e-mail address is how
#: a consultant calls the identity of the controller weak ("alleen de naam en een Gmail-adres").
_REACHABLE = re.compile(
    r"\b\d{4} ?[a-z]{2}\b|\bpostbus\b|\b0(?:[ -]?\d){9}\b|\+\d{2}\b|\bbtw\b|\bondernemingsnummer\b"
    r"|\b(?:kvk|kamer van koophandel|handelsregister)\b"
    r"|\b[a-z][\w'-]*(?:straat|weg|laan|plein|kade|singel|gracht|dijk|hof|park|pad|dreef|steeg|markt|baan|ring|"
    r"wal|haven|boulevard) \d+"
)


_KVK_NUMBER = re.compile(r"\b(?:kvk|kamer van koophandel|handelsregister)\b\D{0,25}?(\d{8})\b")
#: A Dutch postcode in folded text; not a year before a short word ("in 2019 en 2020", "sinds 2021 de …").
_POSTCODE = re.compile(
    r"\b(\d{4}) ?(?!(?:en|de|in|op|is|te|of|na|al|om|ze|we|je|er|uw|zo|nu|ja|ik)\b)([a-z]{2})\b"
)


#: A street and house number in folded text ("bergerweg 112", "hertog aalbrechtweg 31").
_STREET_NUMBER = re.compile(
    r"\b([a-z][\w'-]*(?:straat|weg|laan|plein|kade|singel|gracht|dijk|hof|park|pad|dreef|steeg|markt|baan|"
    r"ring|wal|haven|boulevard)) (\d+)\b"
)


def identity_differs(whole: str, kvk: str, address: str, identity: str = "") -> str:
    """Why the statement names another organisation than the register's (folded statement text), or "".

    A statement kept since a move or a change of legal form still names the old one ("Vos Verhuizingen
    v.o.f., Industrieweg 14, 6541 TW Nijmegen, KvK 09123877" while the register holds the B.V. in Wijchen):
    the reader cannot tell who is responsible (art. 13 lid 1 sub a AVG). Only numbers decide: a KvK number
    or the postcodes, when the statement gives them and none is the register's; or, in the passage that
    names the organisation (``identity``, folded), a street and house number while the register's is
    nowhere in the statement ("Timmerbedrijf Hazenberg V.O.F., Bergerweg 112, Alkmaar" while the register
    holds the B.V. at Hertog Aalbrechtweg 31).
    """
    own_kvk = re.sub(r"\D", "", kvk)
    named_kvk = set(_KVK_NUMBER.findall(whole))
    if len(own_kvk) == 8 and named_kvk and own_kvk not in named_kvk:
        return (
            f"noemt KvK-nummer {', '.join(sorted(named_kvk))}, het register {own_kvk}: controleer of de "
            "verklaring de juiste organisatie noemt"
        )
    if _other_address(fold(address), whole, identity):
        return (
            f"noemt een ander adres dan het register ({address}): controleer of de verklaring de juiste "
            "organisatie en het actuele adres noemt"
        )
    return ""


def _other_address(address: str, whole: str, identity: str) -> bool:
    """Whether the statement gives postcodes none of which is the register's (folded ``address``), or a
    street and house number where it names the organisation while the register's is nowhere."""
    own_postcode = _POSTCODE.search(address)
    named_postcodes = {"".join(m) for m in _POSTCODE.findall(whole)}
    if own_postcode and named_postcodes and "".join(own_postcode.groups()) not in named_postcodes:
        return True
    own_street = _STREET_NUMBER.search(address)
    named_streets = _STREET_NUMBER.findall(identity)
    return bool(own_street and named_streets and " ".join(own_street.groups()) not in whole)


def _processors_named(whole: str, register: Register | None) -> bool:
    """Whether the statement names a processor: by kind ("onze hostingpartij", "de boekhouder") or, with a
    register, one of the register's processors by name (a draft names them so). A recipient of another
    kind does not count: "de verwijzende tandarts en uw zorgverzekeraar" names no one who holds the data
    on the client's behalf."""
    if re.search(PROCESSOR_KINDS, whole):
        return True
    names = [
        r.name for a in (register.activities if register else []) for r in a.recipients if r.kind == PROCESSOR
    ]
    return any(len(n) >= 3 and n in whole for n in (" ".join(fold(name).split()) for name in names))


#: Words of a recipient's name that say nothing about who it is.
_NAME_FILLER = {"stichting", "vereniging", "bedrijf", "groep", "holding", "nederland", "diensten", "keuze"}
#: Data subjects of a staff statement, not of the one the client publishes for its customers.
_STAFF = re.compile(r"medewerker|personeel|werknemer|sollicitant|stagiair|vrijwilliger|uitzendkracht")


def _third_parties_unnamed(whole: str, register: Register | None) -> str:
    """The register's recipients that are no processor (a municipality, a bailiff, an insurer) when the
    statement names fewer than half of them, by a word of their name or their kind ("de deurwaarder" for
    "Gerechtsdeurwaarders Nijhof"); "" when it names enough or the register records fewer than two.

    Activities about the client's own staff are left out (their recipients belong in a staff statement);
    a remark in brackets ("(bij bezwaar)") is no part of the name."""
    if register is None:
        return ""
    own = plain_words(f"{register.controller.name} {register.client}").split()
    # one recipient once ("laboratorium" and "laboratorium (NIPT)"); the organisation's own people are no
    # third party ("dienstdoende verloskundige" at Verloskundigenpraktijk De Wieg)
    bare_names = {
        " ".join(fold(re.sub(r"\(.*?\)", " ", r.name)).split()): r.name
        for a in register.activities
        if not (a.data_subjects and all(_STAFF.search(fold(s)) for s in a.data_subjects))
        for r in a.recipients
        if r.kind != PROCESSOR and r.name
    }
    names = [
        name
        for bare, name in bare_names.items()
        if not any(
            len(w) >= 6 and w not in _NAME_FILLER and o.startswith(w)
            for w in re.findall(r"[a-z]+", bare)
            for o in own
        )
    ]
    if len(names) < 2:
        return ""
    tokens = set(re.findall(r"[a-z0-9]+", whole))
    said = {w for w in tokens if len(w) >= 5 and w not in _NAME_FILLER}

    def named(name: str) -> bool:
        bare = re.sub(r"\(.*?\)", " ", name)
        if any(fold(acronym) in tokens for acronym in re.findall(r"\b[A-Z]{2,4}\b", bare)):
            return True  # "het CBR", "de KNHB"
        words = [w for w in re.findall(r"[a-z]{5,}", fold(bare)) if w not in _NAME_FILLER]
        # "deurwaarder" names "gerechtsdeurwaarders", "gemeenten" names "gemeente"; a short word ("veilig")
        # inside a long name is no naming
        return any(w in s or (len(s) >= 7 and s in w) for w in words for s in said)

    unnamed = [n for n in names if not named(n)]
    if len(unnamed) * 2 <= len(names):
        return ""
    return _short("; ".join(unnamed), 160)


#: A statement that says data are shared only with consent (folded): "wij delen gegevens nooit met anderen
#: zonder uw toestemming", "alleen met uw toestemming geven wij gegevens door", "wij verstrekken uw
#: gegevens alleen met uw toestemming aan derden".
_CONSENT_ONLY_SHARING = re.compile(
    r"\b(?:nooit|niet|geen)\b[^.;]{0,60}\b(?:met|aan) (?:anderen|derden|andere partijen|iemand anders)\b"
    r"[^.;]{0,40}\bzonder (?:uw |jouw |je )?(?:\w+ )?toestemming\b"
    r"|\balleen (?:met|na) (?:uw |jouw |je )?(?:\w+ )?toestemming\b[^.;]{0,40}"
    r"\b(?:delen|deelt|gedeeld|geven|doorgegeven|verstrekken|verstrekt)\b"
    r"|\b(?:delen|deelt|geven|verstrekken)\b[^.;]{0,60}\balleen (?:met|na) (?:uw |jouw |je )?(?:\w+ )?"
    r"toestemming\b(?! (?:of|en) )"
)


def _shared_without_consent(register: Register | None) -> str:
    """The register's recipients (no processor) of activities that do not rest on consent, "" when none;
    a recipient recorded as "alleen met toestemming" does not count."""
    if register is None:
        return ""
    names = [
        r.name
        for a in register.activities
        if a.legal_basis and a.legal_basis != "a" and a.art9_exception != "a"
        for r in a.recipients
        if r.kind != PROCESSOR and r.name and "toestemming" not in fold(r.name)
    ]
    return _short("; ".join(dict.fromkeys(names)), 160)


def _sentences_of(units: list[str]) -> list[str]:
    """The folded sentences of the units: per paragraph (lines joined, headings left out)."""
    found = []
    for unit in units:
        for paragraph in re.split(r"\n\s*\n", unit):
            lines = [line for line in paragraph.splitlines() if not line.lstrip().startswith("#")]
            text = " ".join(fold(" ".join(lines)).split())
            found += [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    return found


def _interest_named(units: list[str]) -> tuple[str, str]:
    """ "zwak" when the statement names a legitimate interest only in general (art. 13 lid 1 sub d asks
    which interest, for which processing): every sentence that names one is a general one, or a bare one
    that names neither ("Sommige gegevens verwerken wij op basis van ons gerechtvaardigd belang.")."""
    mentions = [s for s in _sentences_of(units) if _INTEREST.search(s)]
    if mentions and all(_GENERAL_INTEREST.search(s) or _bare(s) for s in mentions):
        return WEAK, "alleen in algemene zin genoemd: noem welk belang bij welke verwerking"
    return PRESENT, ""


_USE = r"\b(gebruiken|gebruikt|verwerken|verwerkt)\b"


def _basis_for_all(text: str, paragraph: bool) -> bool:
    """A sentence naming the basis of "uw gegevens" in general ("Wij gebruiken uw gegevens omdat …").

    In a paragraph any sentence; in a list item only a sentence after its first (a paragraph after the
    list that the text extraction joined to the last item), not the item's own purpose.
    """
    sentences = [fold(t) for t in re.split(r"(?<=[.!?])\s+", text) if t.strip()]
    return any(
        _GENERIC_DATA.search(t) and re.search(_USE, t) and re.search(PURPOSE_BASIS, t)
        for t in (sentences if paragraph else sentences[1:])
    )


_RIGHTS_LEAD = re.compile(r"\brecht(en)?\b")


def _heading(lines: list[str]) -> str:
    """The folded heading of a unit's lines: a Markdown heading or a short first line ("" when none)."""
    if lines and (lines[0].startswith("#") or len(lines[0].split()) <= 8):
        return fold(lines[0])
    return ""


_RETENTION_HEADING = re.compile(r"bewaar|bewaren|hoe lang|bewaartermijn")
#: "uw gegevens" in general (an opening line before the terms per purpose), not "gegevens over uw bezoeken"
_GENERIC_DATA = re.compile(
    r"\b(uw|je|jouw|alle|onze|geen) (persoons)?gegevens\b(?! (over|van|voor|die|uit|in|bij)\b)"
)


#: Beside a general "niet langer dan nodig", fewer concrete terms than this leave most purposes without one.
MIN_RETENTION_TERMS = 3


def _retention_per_purpose(units: list[str], status: str, note: str) -> tuple[str, str]:
    """ "zwak" when the statement's own section on retention leaves a purpose without a term.

    A term mentioned in passing elsewhere ("om je cv een jaar te bewaren" among the rights) does
    not make up for a retention section that only says "niet langer dan noodzakelijk"; and in a
    list of terms per kind of data, an item with only vague wording ("zolang dat nodig is") is a
    purpose without a term or criterion.
    """
    (_, keep), (_, period) = COMPILED["bewaartermijnen"]
    vague = VAGUE["bewaartermijnen"]
    sections = _whole_sections(units)
    # terms given in the sections per group or purpose ("Leden … opgeslagen voor de periode: looptijd
    # plus 7 jaar"; "Donateurs … maximaal 7 jaar") answer the question a general retention section leaves
    elsewhere = sum(
        1
        for unit in sections
        if not _RETENTION_HEADING.search(_heading(unit.split("\n")))
        and keep.search(folded := fold(unit))
        and period.search(folded)
    )
    for unit in sections:
        lines = [line.strip() for line in unit.split("\n") if line.strip()]
        if not _RETENTION_HEADING.search(_heading(lines)):
            continue
        body = " ".join(fold(line) for line in lines[1:])
        if not period.search(body) and elsewhere >= 2:
            continue
        if vague.search(body) and not period.search(body):
            return WEAK, "de paragraaf over bewaren noemt geen termijn of criterium, alleen vage woorden"
        items = _items(lines[1:])
        listed = [fold(item) for item, lead in items if lead is not None]
        # a list of terms is judged item by item (its lead-in "niet langer dan nodig:" is no purpose)
        parts = listed or [fold(item) for item, _lead in items]
        sentences = [piece for part in parts for piece in re.split(r"(?<=[.;])\s+", part)]
        loose = [
            piece
            for piece in sentences
            if vague.search(piece) and not period.search(piece) and not _GENERIC_DATA.search(piece)
        ]
        if loose:
            return WEAK, "geen termijn of criterium bij: " + "; ".join(_short(piece) for piece in loose[:3])
        # "Wij bewaren uw gegevens niet langer dan nodig. Facturen bewaren we 7 jaar.": a general sentence
        # in prose (not the lead-in of a list of terms) is the rule for every purpose the section gives
        # no term of its own; with one or two terms beside it, most purposes have none
        prose = [
            piece
            for item, lead in items
            if lead is None
            for piece in re.split(r"(?<=[.;])\s+", fold(item))
            if not piece.rstrip().endswith(":")
        ]
        general = [p for p in prose if vague.search(p) and not period.search(p) and _GENERIC_DATA.search(p)]
        terms = sum(1 for p in sentences for _ in period.finditer(p))
        if general and terms < MIN_RETENTION_TERMS:
            return WEAK, f"alleen '{_short(general[0], 60)}', met een termijn voor {terms} soort(en) gegevens"
    return status, note


def _whole_sections(units: list[str]) -> list[str]:
    """Units with consecutive chunks of one section joined: a loaded file's long section comes in chunks
    that each start with the section's heading ("Bewaartermijn\nniet langer dan noodzakelijk…",
    "Bewaartermijn\n- Contactgegevens: 3 jaar…"); the section, not its first chunk, holds the terms."""
    joined: list[tuple[str, list[str]]] = []
    for unit in units:
        first, _, rest = unit.partition("\n")
        if joined and first.strip() and joined[-1][0] == first:
            joined[-1][1].append(rest)
        else:
            joined.append((first, [unit]))
    return ["\n".join(parts) for _first, parts in joined]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _items(lines: list[str]) -> list[tuple[str, str | None]]:
    """(text, lead) per list item (lead: the line before its list); (paragraph, None) per paragraph."""
    found: list[tuple[str, str | None]] = []
    lead: str | None = None
    paragraph: list[str] = []
    current: list[str] | None = None

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            found.append((" ".join(paragraph), None))
            paragraph = []

    for line in lines:
        if re.match(r"^([-*•]|\d+[.)])\s+", line):
            if current is None and lead is None:
                lead = paragraph.pop() if paragraph else ""  # the lead-in introduces the list
                flush()
            current = [re.sub(r"^([-*•]|\d+[.)])\s+", "", line)]
            found.append((" ".join(current), lead))
        elif current is not None and line and not line.startswith("#"):
            text, item_lead = found[-1]
            found[-1] = (f"{text} {line}", item_lead)  # a wrapped list item
        else:
            current, lead = None, None
            if line and not line.startswith("#"):
                paragraph.append(line)
            else:
                flush()  # a blank line or a heading ends the paragraph
    flush()
    return found


def _vague_note(element: Element) -> str:
    if element.key == "bewaartermijnen":
        return "noem per doel een termijn of een concreet criterium ('niet langer dan nodig' is niet genoeg)"
    if element.key == "doorgifte":
        return "noem per doorgifte het mechanisme (adequaatheidsbesluit, modelcontractbepalingen, BCR)"
    if element.key == "ontvangers":
        return "noem de ontvangers of hun soort, niet alleen 'derden'"
    if element.key == "toestemming_intrekken":
        return "noem uitdrukkelijk dat u uw toestemming kunt intrekken"
    return "noem het concreet"


def _semantic(
    report: CompletenessReport, units: list[str], embedder: IdentifiedEmbeddings, rule: SemanticRule
) -> None:
    """Lift missing mandatory elements to "zwak" when a unit is clearly closest to the element's description.

    Only units that no element's patterns matched are considered (``units`` holds just those): a
    passage the patterns already placed is about that element. A unit counts for an element when,
    of all element descriptions, this one is the nearest (cosine, passage role on both sides), by
    at least ``rule.margin`` over the runner-up, and at least ``rule.min_similarity``.
    Absolute similarities of a small multilingual model all sit close together; the
    nearest-description rule with a margin is what separates topics.
    """
    conditional = {e.key for e in ELEMENTS if e.condition}
    targets = {r.key: r for r in report.results if r.status == MISSING and r.key not in conditional}
    if not targets or not units:
        return
    phrasings = [(e.key, d) for e in ELEMENTS for d in e.descriptions]
    phrase_vectors = embedder.embed_documents([d for _, d in phrasings])
    unit_vectors = embedder.embed_documents(units)
    for unit, vector in zip(units, unit_vectors, strict=True):
        scores: dict[str, float] = {}
        for (key, _), phrase_vector in zip(phrasings, phrase_vectors, strict=True):
            scores[key] = max(scores.get(key, -1.0), _cosine(vector, phrase_vector))
        ranked = sorted(((score, key) for key, score in scores.items()), reverse=True)
        (best, key), (second, _) = ranked[0], ranked[1]
        result = targets.get(key)
        if result is None or result.status != MISSING:
            continue
        if best >= rule.min_similarity and best - second >= rule.margin:
            result.status = WEAK
            result.evidence = _snippet(unit)
            result.note = _join_notes(
                result.note,
                f"geen vaste formulering gevonden, maar deze passage lijkt erover te gaan "
                f"(overeenkomst {best:.2f}); controleer dit",
            )


def _own_heading(text: str, heading: str) -> str:
    """A chunk with its heading path reduced to its own heading (the document title is noise)."""
    if heading and text.startswith(heading):
        return heading.split(" > ")[-1] + text[len(heading) :]
    return text


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


def _join_notes(*notes: str) -> str:
    return "; ".join(n for n in notes if n)
