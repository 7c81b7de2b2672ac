"""What the client's own documents say against its register: another retention period, a legal duty.

A consultant who reads the retention schedule "Facturen, betalingen en incassodossiers: 7 jaar na
afloop van het boekjaar" next to a register that keeps "Debiteurenbeheer en incasso" for "2 jaar na
betaling" knows one of the two is wrong; so is a register that rests the reporting of rent arrears on
legitimate interest (f) while the process description says "op grond van de Wet gemeentelijke
schuldhulpverlening zijn wij verplicht …" (a legal obligation, c). Both are reported as register
warnings with the document's words, for the consultant to choose; nothing changes in the register.

Recipients are the third and fourth kind (:mod:`.register_recipients`): one the register still names
that a document calls no longer used, and a party the documents send an activity's data to that the
register names nowhere.

Only what names an activity of the register counts (the words of its name in the row's label or in the
sentence: "incassodossiers" → "Debiteurenbeheer en incasso"); a schedule row without such a name
("Pinbonnen en kasstaten: 7 jaar") is left alone. A retention period differs when none of the row's
durations is within a tenth of one the register names ("4 weken" is "28 dagen"; "2 jaar na
uitdiensttreding, loonadministratie 7 jaar" holds both 2 and 7 years).

Camera images are the one kind of data a prose sentence names unmistakably: "De recorder overschrijft de
beelden automatisch na ongeveer 60 dagen", "Sinds 1 maart 2025 worden de beelden na 7 dagen automatisch
overschreven (daarvoor 28 dagen)" against a register's only camera activity that keeps them "4 weken" is a
retention conflict too (the old term in brackets left out; not a term for an incident, a request or the
police, not photos, not a processor's agreement; "Ze blijven bewaard tot de opslag vol is, meestal zo'n 2
à 3 maanden" counts under a heading about cameras).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.features.privacy.document_titles import is_processing_agreement
from assistant.features.privacy.durations import durations
from assistant.features.privacy.model import Register, basis_label
from assistant.features.privacy.other_sources import (
    Passage,
    SentenceBinder,
    place,
    short_quote,
)
from assistant.features.privacy.reflow import reflow, table_rows
from assistant.features.privacy.register_binding import bind_passage_sentence, heading, passage_sentences
from assistant.features.privacy.register_recipients import retired_in_documents, unrecorded_recipients
from assistant.features.privacy.suggestions import best_known_activity
from knowledge.text_analysis import fold

FIELD_RETENTION = "bewaartermijn"
FIELD_BASIS = "grondslag"
FIELD_RECIPIENTS = "ontvangers"
FIELD_UNRECORDED = "ontbrekende ontvanger"

#: "Verzuimgegevens: 2 jaar na afloop van het verzuim." — a label, a colon, a term with a duration.
_LABEL_TERM = re.compile(r"^\s*(?:[-*•]\s*)?(?P<label>[^:|>.]{3,80}?):\s+(?P<term>[^:>]{0,60}\d[^:>]{0,60})$")
#: A legal duty named as the reason of a processing: "op grond van de Wet … zijn wij verplicht".
_LEGAL_DUTY = re.compile(
    r"\b(?:op grond van|krachtens|volgens|op basis van) (?:de |het |artikel \S+ (?:van )?(?:de |het )?)?"
    r"[\w-]*(?:wet|besluit)\b[^.;]{0,120}\b(?:verplicht|moeten|moet)\b"
    r"|\b(?:verplicht|moeten|moet)\b[^.;]{0,80}\b(?:op grond van|krachtens|volgens) (?:de |het )?"
    r"[\w-]*(?:wet|besluit)\b"
    r"|\bwettelijke? (?:plicht|verplichting)\b|\bwettelijk verplicht\b"
)
_RETENTION_TALK = re.compile(r"\bbewaar\w*")
#: A duty that only might arise ("als wij daartoe wettelijk verplicht zijn", "tenzij de wet ons verplicht"):
#: an exception for handing data over, not the basis of a processing.
_CONDITIONAL_DUTY = re.compile(
    r"\b(?:als|indien|wanneer|tenzij|voor zover|voorzover)\b[^.;]{0,60}\b(?:wettelijk|wet|daartoe)\b"
    r"|\bdaartoe (?:wettelijk )?verplicht"
)
#: The documents deny the basis the register records: no consent asked for an activity based on consent
#: ("Een apart vinkje of toestemming is daarvoor niet nodig", "als zij geen bezwaar maken" is opt-out) …
_NO_CONSENT = re.compile(
    r"\btoestemming\b[^.;]{0,40}\b(?:niet nodig|niet gevraagd|niet vragen|vragen (?:wij|we) niet"
    r"|hoeft niet)\b|\bgeen (?:aparte |expliciete |voorafgaande )?toestemming (?:nodig|gevraagd|vragen)\b"
    r"|\b(?:als|indien|wanneer)\b[^.;]{0,40}\bgeen bezwaar (?:maakt|maken|heeft|hebben)\b"
    r"|\btenzij\b[^.;]{0,40}\bbezwaar (?:maakt|maken|heeft|hebben)\b"
    # "iedere nieuwe klant krijgt automatisch de herinneringen; daar hoef je niets voor te vragen"
    r"|\b(?:hoef|hoeft|hoeven) (?:je|u|we|wij|ik|jullie) (?:\w+ ){0,2}niets? (?:voor )?te vragen\b"
    r"|\b(?:iedere|elke|alle) (?:nieuwe )?\w+ (?:krijgt|krijgen|ontvangt|ontvangen|staat|staan|komt|komen) "
    r"(?:\w+ ){0,2}automatisch\b"
)
#: … and no legal duty for one based on a legal duty ("Het versturen aan een bond is niet wettelijk
#: verplicht").
_NO_DUTY = re.compile(r"\bniet wettelijk verplicht\b|\bgeen wettelijke (?:plicht|verplichting)\b")
#: … and consent required for one based on something else: "Zonder toestemming van de patiënt mogen wij zijn
#: medicatiegegevens niet via het LSP beschikbaar stellen" (the sentence names the activity itself).
_CONSENT_NEEDED = re.compile(
    r"\bzonder (?:\w+ ){0,2}toestemming\b[^.;]{0,80}\b(?:mogen|mag|kunnen|kan) (?:wij|we|ik)\b"
    r"[^.;]{0,80}\bniet\b"
    r"|\b(?:alleen|uitsluitend) (?:met|na) (?:\w+ ){0,2}toestemming\b"
    r"|\btoestemming (?:\w+ ){0,3}(?:is |zijn )?(?:nodig|vereist|verplicht)\b"
)
#: Consent that is no basis of the processing: a colleague's approval ("alleen na toestemming van het hoofd
#: laboratorium"), a question ("ze vraagt of we toestemming nodig hebben"), a handing over that one activity
#: includes ("een warme overdracht, ook alleen met toestemming van de ouders").
_NOT_THE_BASIS = re.compile(
    r"\btoestemming van (?:het |de |een )?(?:hoofd|directie|directeur|leidinggevende|manager|teamleider"
    r"|bestuur|management|mt|praktijkhouder|eigenaar|coordinator)\b"
    r"|\b(?:vraagt|vroeg|vragen|vroegen|weet|weten|twijfel\w*) (?:\w+ ){0,3}of\b|\?"
    r"|\b(?:overdracht|overdragen|overgedragen|doorgeven|doorgegeven|doorsturen|doorgestuurd|delen|gedeeld"
    r"|verstrekken|verstrekt)\b"
)
#: What a document says instead of the recorded basis (:attr:`Conflict.document_value`).
NO_CONSENT, NO_DUTY, CONSENT_NEEDED = "geen toestemming", "geen wettelijke plicht", "toestemming nodig"
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
#: The register's camera activity ("Cameratoezicht", "Open Bibliotheek en cameratoezicht").
_CAMERA_ACTIVITY = re.compile(r"camera|videobewaking|bewakingsbeeld")
#: Camera images in a sentence (or "camera" in its heading: "Ze blijven bewaard tot de opslag vol is").
_CAMERA_IMAGES = re.compile(r"\b(?:camera\w*|beelden|videobeelden|bewakingsbeelden|recorder)\b")
_CAMERA_RETENTION = re.compile(r"\b(?:bewaar\w*|bewaard|overschr\w*|verwijder\w*|gewist|wissen)\b")
#: A term for something else than the images as a rule: an incident, a request, the police.
_NOT_THE_TERM = re.compile(r"\b(?:incident\w*|verzoek\w*|politie|inzage)\b")
#: The term before a change, in brackets: "(daarvoor 28 dagen)".
_HISTORY = re.compile(r"\([^)]*\b(?:daarvoor|voorheen|eerder|vroeger|was)\b[^)]*\)")


@dataclass(frozen=True)
class Conflict:
    """A register field that a client document contradicts."""

    activity: str
    field: str
    register_value: str
    document_value: str
    document: str
    page: int
    quote: str

    @property
    def where(self) -> str:
        """Document and page: "Bewaartermijnen, p. 2"."""
        return place(self.document, self.page)

    def message(self) -> str:
        """The Dutch register warning."""
        if self.field == FIELD_UNRECORDED:
            return (
                f"ontvanger ontbreekt: volgens {self.where} gaan gegevens naar {self.document_value} "
                f"(„{short_quote(self.quote)}”), maar het register noemt die ontvanger niet. "
                "Vul de ontvangers aan."
            )
        if self.field == FIELD_RECIPIENTS:
            return (
                f"ontvanger {self.register_value} staat in het register, maar {self.where} zegt dat die niet "
                f"meer in gebruik is („{short_quote(self.quote)}”). Werk de ontvangers bij."
            )
        if self.field == FIELD_RETENTION:
            return (
                f"bewaartermijn wijkt af van de documenten: het register zegt „{self.register_value}”, "
                f"{self.where} zegt „{self.document_value}”. Kies de juiste termijn."
            )
        if self.document_value == NO_CONSENT:
            return (
                f"grondslag: het register noemt {self.register_value}, maar volgens {self.where} wordt geen "
                f"toestemming gevraagd („{short_quote(self.quote)}”). Ga na welke grondslag past of vraag "
                "wel toestemming."
            )
        if self.document_value == CONSENT_NEEDED:
            return (
                f"grondslag: het register noemt {self.register_value}, maar volgens {self.where} is daarvoor "
                f"toestemming nodig („{short_quote(self.quote)}”). Ga na of de grondslag a (toestemming) "
                "is en hoe die wordt gevraagd en vastgelegd."
            )
        if self.document_value == NO_DUTY:
            return (
                f"grondslag: het register noemt {self.register_value}, maar volgens {self.where} is er geen "
                f"wettelijke plicht („{short_quote(self.quote)}”). Ga na welke grondslag past."
            )
        return (
            f"grondslag: het register noemt {self.register_value}, maar {self.where} noemt een wettelijke "
            f"plicht („{short_quote(self.quote)}”). Ga na of de grondslag c (wettelijke verplichting) is."
        )


def find_conflicts(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[Conflict]:
    """Retention periods and legal duties in the documents that contradict the register (one per
    activity and field, in document order)."""
    known = [a.name for a in register.activities]
    found: dict[tuple[str, str], Conflict] = {}
    for passage in passages:
        lines = reflow(passage.text)
        rows = table_rows(lines) + [
            (m["label"], m["term"], line) for line in lines if (m := _LABEL_TERM.match(line))
        ]
        for label, term, quote in rows:
            name = best_known_activity(label, known, unique=True)
            activity = register.activity(name) if name else None
            if activity is None or (activity.name, FIELD_RETENTION) in found:
                continue
            if _differs(activity.retention, term):
                found[(activity.name, FIELD_RETENTION)] = Conflict(
                    activity.name, FIELD_RETENTION, activity.retention, _clean(term), passage.document,
                    passage.page, " ".join(quote.split()),
                )  # fmt: skip
        basis_lines = [] if is_processing_agreement(passage.document) else lines  # the processor's duties
        for line in basis_lines:
            for sentence in _SENTENCE.split(line):
                folded = " ".join(fold(sentence).split())
                said = _basis_said(folded)
                if said is None:
                    continue
                name = best_known_activity(sentence, known, unique=True)
                activity = register.activity(name) if name else None
                if activity is None and said not in ("c", CONSENT_NEEDED):
                    # "…tegen aanlevering aan Perined; als zij geen bezwaar maken …": the line, the heading
                    activity = bind_passage_sentence(passage, sentence, register, words_from=line)
                if activity is None or activity.legal_basis not in _CONTRADICTS[said]:
                    continue
                if said == CONSENT_NEEDED and activity.art9_exception == "a":
                    continue  # health data on explicit consent (art. 9 lid 2 sub a): the consent is recorded
                if (activity.name, FIELD_BASIS) not in found:
                    basis = f"{activity.legal_basis} ({basis_label(activity.legal_basis)})"
                    found[(activity.name, FIELD_BASIS)] = Conflict(
                        activity.name, FIELD_BASIS, basis, said, passage.document, passage.page,
                        " ".join(sentence.split()),
                    )  # fmt: skip
    camera = _camera_retention(passages, register)
    if camera is not None and (camera.activity, FIELD_RETENTION) not in found:
        found[(camera.activity, FIELD_RETENTION)] = camera
    for name, recipient, passage, sentence in retired_in_documents(passages, register):
        if (name, f"{FIELD_RECIPIENTS}:{recipient}") not in found:
            found[(name, f"{FIELD_RECIPIENTS}:{recipient}")] = Conflict(
                name, FIELD_RECIPIENTS, recipient, "niet meer in gebruik", passage.document, passage.page,
                " ".join(sentence.split()),
            )  # fmt: skip
    for name, party, passage, sentence in unrecorded_recipients(passages, register, binder):
        if (name, f"{FIELD_UNRECORDED}:{party}") not in found:
            found[(name, f"{FIELD_UNRECORDED}:{party}")] = Conflict(
                name, FIELD_UNRECORDED, "", party, passage.document, passage.page, " ".join(sentence.split())
            )
    return list(found.values())


#: The recorded bases each thing a document says contradicts.
#: (Consent beside a legitimate interest or a public task is often a safeguard of its own, as for research
#: "alleen met uw toestemming"; beside a contract or a legal duty it is the basis the register lacks.)
_CONTRADICTS = {"c": ("a", "f"), NO_CONSENT: ("a",), NO_DUTY: ("c",), CONSENT_NEEDED: ("b", "c")}


def _basis_said(folded: str) -> str | None:
    """What a folded sentence says about the basis of a processing: a legal duty ("c"), that no consent is
    asked, that there is no legal duty; None when nothing (a retention duty, a duty that only may arise)."""
    if _NO_DUTY.search(folded):
        return NO_DUTY
    if _NO_CONSENT.search(folded):
        return NO_CONSENT
    if _CONSENT_NEEDED.search(folded) and not _NOT_THE_BASIS.search(folded):
        return CONSENT_NEEDED
    if not _LEGAL_DUTY.search(folded) or _RETENTION_TALK.search(folded) or _CONDITIONAL_DUTY.search(folded):
        return None
    return "c"


def _camera_retention(passages: Iterable[Passage], register: Register) -> Conflict | None:
    """The first sentence that gives camera images another retention period than the register's one
    camera activity (see the module docstring), or None."""
    cameras = [a for a in register.activities if _CAMERA_ACTIVITY.search(fold(a.name))]
    if len(cameras) != 1 or not cameras[0].retention:
        return None
    activity = cameras[0]
    for passage, sentence in passage_sentences(passages):
        if is_processing_agreement(passage.document):
            continue
        folded = fold(_HISTORY.sub(" ", sentence))
        if not _CAMERA_RETENTION.search(folded) or not durations(folded) or _NOT_THE_TERM.search(folded):
            continue
        if not (_CAMERA_IMAGES.search(folded) or "camera" in fold(heading(passage))) or "foto" in folded:
            continue
        if _differs(activity.retention, folded):
            quote = " ".join(sentence.split())
            return Conflict(
                activity.name, FIELD_RETENTION, activity.retention, _clean(short_quote(quote, 120)),
                passage.document, passage.page, quote,
            )  # fmt: skip
    return None


def retired_recipients(conflicts: Iterable[Conflict]) -> list[str]:
    """The recipients the documents say are no longer used (from :func:`find_conflicts`)."""
    return list(dict.fromkeys(c.register_value for c in conflicts if c.field == FIELD_RECIPIENTS))


def _differs(register_value: str, document_value: str) -> bool:
    ours, theirs = durations(register_value), durations(document_value)
    if not ours or not theirs:
        return False
    return not any(abs(a - b) <= 0.1 * max(a, b) for a in ours for b in theirs)


def _clean(term: str) -> str:
    return " ".join(term.split()).rstrip(".")
