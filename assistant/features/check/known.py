"""What the tool already knows about a client answers checklist questions: register, statement, agreements.

The check reads the client's verwerkingsregister (the model object of
:mod:`assistant.features.privacy.model`, read only), the newest privacyverklaring draft and which
processors named in the register have an agreement among the client's documents. From these facts
:func:`known_answer` proposes an answer that cites the register entry or the draft, or proposes
*niet van toepassing* with the reason (no transfers, no cameras, no children, no consent …) — but only when
the client's documents do not describe the subject: automatic rejections, data from referrers or a
credit check, consent forms in the documents make the question apply whatever the register says. Every
proposal is still reviewed by the consultant. A client's own admission in a document
("… is niet uitgevoerd") is never overruled by the register, except for REG-01 (the register is
in the tool). Without a register nothing here applies and the documents decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.features.check.checklist import ChecklistQuestion
from assistant.features.check.crosscheck import Finding
from assistant.features.check.document_kinds import is_processing_agreement
from assistant.features.check.evidence import agreement_denied, unsigned
from assistant.features.check.judge import judge, limitations, red_flags, sentences
from assistant.features.check.model import (
    LABEL_JUDGED,
    LABEL_KNOWN,
    LABEL_NO_EVIDENCE,
    LABEL_NONE_IN_DOCUMENTS,
    LABEL_NOT_APPLICABLE,
    POLARITY_ADMITS_GAP,
    POLARITY_SUPPORTS,
    SOURCE_KNOWN,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    STATUS_UNKNOWN,
    CheckAnswer,
    Evidence,
    clip,
)
from assistant.features.check.outside_eea import Service, known_services, names_service
from assistant.features.check.polarity import SUBJECT_MAY_BE_ABSENT, denies_existence
from assistant.features.privacy.countries import in_eea
from assistant.features.privacy.model import (
    PROCESSOR,
    YES,
    Activity,
    Register,
    answer,
    consent_for_payment,
    invalid_safeguard,
)
from assistant.features.privacy.other_sources import OtherSource, place
from assistant.features.privacy.register_recipients import company_key
from assistant.features.privacy.register_special import Sighting, SpecialData
from assistant.features.privacy.register_tracking import TrackingData, names_location
from knowledge.scopes import client_scope
from knowledge.text_analysis import fold, plain_words

if TYPE_CHECKING:
    from assistant.features.privacy.service import PrivacyService

REGISTER_DOCUMENT = "Verwerkingsregister (in de assistent)"
_CHILDREN = re.compile(
    r"\b(kind|kinderen|minderjarig\w*|leerling\w*|jeugd\w*|peuter\w*|baby\w*|scholier\w*)\b"
)
_CAMERA = re.compile(r"camera|videobewaking|beeldopname|bewakingsbeeld")
_NEGATIVE = re.compile(r"^(geen|nee|niet|n\.?v\.?t\.?|niet van toepassing)\b")


@dataclass(frozen=True)
class StatementInfo:
    """The client's newest privacyverklaring draft as the check cites it."""

    title: str
    version: int
    status: str
    approved: bool
    placeholders: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ClientKnowledge:
    """Facts the tool holds about one client (all optional)."""

    client: str
    register: Register | None = None
    statement: StatementInfo | None = None
    #: processor named in the register → a passage of the client's documents with its agreement (or None)
    agreements: dict[str, Evidence | None] = field(default_factory=dict)
    #: question id → what the cross-checks of documents, register and known services found
    #: (:mod:`assistant.features.check.crosscheck`)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    #: processors of the register that the documents say are no longer used ("is per 1 april afgesloten")
    retired: list[str] = field(default_factory=list)
    #: titles of the client's documents that are drafts, not adopted ("Privacybeleid – CONCEPT")
    drafts: frozenset[str] = frozenset()
    #: data from third parties the documents show for activities whose register entry records no source
    #: (:func:`assistant.features.privacy.other_sources.find_other_sources`, art. 14 AVG)
    other_sources: list[OtherSource] = field(default_factory=list)
    #: location data and access logs the documents record for activities whose register entry does not
    #: list them (:func:`assistant.features.privacy.register_tracking.unrecorded_tracking`)
    tracking: list[TrackingData] = field(default_factory=list)
    #: special data (health, beliefs) the documents show for activities whose register entry records none
    #: (:func:`assistant.features.privacy.register_special.unrecorded_special_data`)
    special: list[SpecialData] = field(default_factory=list)

    def processors(self) -> list[str]:
        """Names of the processors (verwerkers) in the register that are still in use, in order."""
        if self.register is None:
            return []
        names = [r.name for a in self.register.activities for r in a.recipients if r.kind == PROCESSOR]
        return list(dict.fromkeys(n for n in names if n and n not in self.retired))


def _text(activity: Activity) -> str:
    parts = [activity.name, activity.purpose, *activity.data_categories, *activity.data_subjects]
    return fold(" ".join(parts))


def dpia_criteria(activity: Activity) -> list[str]:
    """The DPIA criteria (AP list / EDPB) an activity meets, as far as the register shows."""
    criteria = []
    if activity.special_categories:
        criteria.append("bijzondere persoonsgegevens")
    if _CHILDREN.search(fold(" ".join(activity.data_subjects))):
        criteria.append("kwetsbare betrokkenen (kinderen)")
    if _CAMERA.search(_text(activity)):
        criteria.append("stelselmatige monitoring (camera)")
    if activity.automated_decisions and not _NEGATIVE.match(fold(activity.automated_decisions).strip()):
        criteria.append("geautomatiseerde besluitvorming of profilering")
    if activity.transfers:
        criteria.append("doorgifte buiten de EER")
    return criteria


def _register_evidence(client: str, where: str, quote: str, negative: bool = False) -> Evidence:
    return Evidence(
        document=REGISTER_DOCUMENT,
        page=-1,
        citation=f"Verwerkingsregister — {where}",
        quote=quote,
        chunk_id=f"register:{client}",
        score=1.0,
        scope=client_scope(client),
        polarity=POLARITY_ADMITS_GAP if negative else POLARITY_SUPPORTS,
    )


def _answer(
    question: ChecklistQuestion,
    status: str,
    rationale: str,
    evidence: list[Evidence],
    subjects: list[str] | None = None,
) -> CheckAnswer:
    label = LABEL_NOT_APPLICABLE if status == STATUS_NOT_APPLICABLE else LABEL_KNOWN
    return CheckAnswer(
        question.id, status, label, rationale, evidence, source=SOURCE_KNOWN, subjects=subjects or []
    )


def known_answer(
    question: ChecklistQuestion, known: ClientKnowledge, documents: CheckAnswer
) -> CheckAnswer | None:
    """A proposal from what the tool knows, or None when the documents' proposal stands."""
    admitted = any(e.polarity == POLARITY_ADMITS_GAP for e in documents.evidence)
    if question.id == "TRA-01" and known.statement is not None and not admitted:
        return _statement_answer(question, known)
    register = known.register
    if register is None or not register.activities:
        return None
    if admitted and question.id not in _REGISTER_DECIDES_ADMITTED:
        return None
    if documents.label == LABEL_NONE_IN_DOCUMENTS and _register_lists(question, register):
        quotes = "; ".join(f"„{e.quote}”" for e in documents.evidence[:2])
        reason = (
            f"De documenten zeggen dat het er niet is ({quotes}), maar het register noemt het wel. Ga na "
            "wat klopt; daarna is de vraag van toepassing of niet."
        )
        return _answer(question, STATUS_UNKNOWN, reason, documents.evidence, list(documents.subjects))
    rule = _RULES.get(question.id)
    answer = rule(question, known, register, documents) if rule else None
    if answer is not None and answer.status == STATUS_NOT_APPLICABLE and _documents_describe(documents):
        return _register_leaves_out(question, answer, documents)
    if answer is not None and answer.status == STATUS_COMPLIES:
        own_words = [*documents.shortfalls]
        if question.id not in _REGISTER_REPLACES_WORDING:
            own_words += documents.weaknesses
        if own_words:
            return _limited_by_documents(question, answer, documents, own_words)
    return answer


#: Questions the register answers even where the documents admit a gap: REG-01 (the register the tool holds
#: is the register), FG-02 and FG-03 ("Wij hebben geen FG aangesteld" is a fact the register holds too: an
#: appointed FG's registration does not apply, FG-02; whether having none is a gap depends on the duty the
#: register's activities show, FG-03; measured on the read dossiers: 7 of 9 such admissions were no gap).
_REGISTER_DECIDES_ADMITTED = frozenset({"REG-01", "FG-02", "FG-03"})

#: Questions whose known weakness in the documents is a wording the register's own facts replace: a
#: retention "niet langer dan nodig" in a policy is answered by the register's term for every activity.
_REGISTER_REPLACES_WORDING = frozenset({"BWT-01"})


def _limited_by_documents(
    question: ChecklistQuestion, register_answer: CheckAnswer, documents: CheckAnswer, own_words: list[str]
) -> CheckAnswer:
    """The register shows the measure, but the client's documents say part of it is not done, not known
    or done in a way the checklist knows as weak ("Hoe lang AccessPro de toegangslogging bewaart weten we
    niet" beside a register with a term for every activity): the register does not overrule the client's
    own words (*voldoet deels*, both cited)."""
    quotes = "; ".join(f"„{clip(s)}”" for s in list(dict.fromkeys(own_words))[:2])
    reason = (
        f"{register_answer.rationale.rstrip('.')}. Maar in de documenten schrijft de klant zelf: {quotes}; "
        "dat laat het register niet zien."
    )
    return _answer(
        question,
        STATUS_PARTIAL,
        reason,
        [*register_answer.evidence, *documents.evidence],
        list(dict.fromkeys([*documents.subjects, *register_answer.subjects])),
    )


def _register_leaves_out(
    question: ChecklistQuestion, register_answer: CheckAnswer, documents: CheckAnswer
) -> CheckAnswer | None:
    """The documents describe what the register says there is none of ("geen bijzondere persoonsgegevens"
    while a document tells how trainers keep children's medical information): the register is incomplete
    on the question's subject, so the overview the question asks for is not there (*voldoet deels*). A gap
    the documents themselves show stands as it is; for other questions (no consent, no transfer, no other
    source, no FG duty) the documents decide alone: their passages may mention the subject without the
    register being wrong (measured: more false than right flags)."""
    if question.id not in SUBJECT_MAY_BE_ABSENT:
        return None
    if (
        question.id in _MEASURES_OPEN
        and documents.status == STATUS_PARTIAL
        and documents.label == LABEL_JUDGED
    ):
        return _measures_not_described(question, register_answer, documents)
    if documents.status not in (STATUS_COMPLIES, STATUS_UNKNOWN):
        return None
    if any(denies_existence(e.passage or e.quote, question) for e in documents.evidence):
        return None  # "er hangen geen camera's": the documents agree with the register
    reason = (
        f"{register_answer.rationale.rstrip('.')}, maar de documenten van de klant beschrijven ze wel: het "
        "register is op dit punt onvolledig."
    )
    return _answer(
        question,
        STATUS_PARTIAL,
        reason,
        documents.evidence,
        list(dict.fromkeys(e.document for e in documents.evidence)),
    )


#: Questions whose subject the documents often name in passing: children ("wij behandelen geen patiënten
#: jonger dan 16", "kinderen van medewerkers", "foto's van kinderen weghalen bij een bezichtiging").
#: Not ADM-01: automated decisions the register leaves out are the gap itself (measured on the read
#: dossiers: 12 of 13 such answers were consultant gaps; for children 3 of 17, each kept a gap by a
#: weakness in the client's words).
_MEASURES_OPEN = frozenset({"KIN-01"})


def _measures_not_described(
    question: ChecklistQuestion, register_answer: CheckAnswer, documents: CheckAnswer
) -> CheckAnswer | None:
    """The register says there is none of the subject; the documents name it but describe at most one of
    its measures and show no weakness, limitation or missing core: whether the question applies at all is
    open (*onbekend*), the measures they do not describe are no shown gap."""
    passages = [e.passage or e.quote for e in documents.evidence if e.polarity == POLARITY_SUPPORTS]
    if not passages:
        return None
    verdict = judge(question, passages)
    if verdict.reasons or len(verdict.found) > 1:
        return None  # a weakness the documents show, or measures that show the subject is there
    reason = (
        f"{register_answer.rationale.rstrip('.')}. De documenten noemen het onderwerp wel, maar "
        "beschrijven er geen maatregelen bij; ga na of deze vraag van toepassing is (en vul dan zo nodig "
        "het register aan)."
    )
    return _answer(question, STATUS_UNKNOWN, reason, documents.evidence, list(documents.subjects))


def _documents_describe(documents: CheckAnswer) -> bool:
    """True when the client's documents have passages on the subject (n.v.t. from the register refused)."""
    return any(
        e.polarity == POLARITY_SUPPORTS and e.document != REGISTER_DOCUMENT for e in documents.evidence
    )


def _statement_answer(question: ChecklistQuestion, known: ClientKnowledge) -> CheckAnswer:
    info = known.statement
    assert info is not None
    evidence = Evidence(
        document=info.title,
        page=-1,
        citation=f"{info.title} (versie {info.version}, {info.status})",
        quote=f"Privacyverklaring in de assistent, versie {info.version}: {info.status}.",
        chunk_id=f"privacyverklaring:{known.client}",
        score=1.0,
        scope=client_scope(known.client),
    )
    if info.approved and not info.placeholders:
        return _answer(
            question,
            STATUS_COMPLIES,
            "Er is een goedgekeurde privacyverklaring (in de assistent).",
            [evidence],
        )
    missing = f" Nog aan te vullen: {'; '.join(info.placeholders)}." if info.placeholders else ""
    return _answer(
        question,
        STATUS_PARTIAL,
        f"Er is een privacyverklaring opgesteld ({info.status}), nog niet goedgekeurd of nog niet volledig."
        + missing,
        [evidence],
        [info.title],
    )


def _reg_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, _: CheckAnswer) -> CheckAnswer:
    names = ", ".join(a.name for a in r.activities)
    quote = f"{len(r.activities)} verwerkingen vastgelegd: {names}."
    return _answer(
        q,
        STATUS_COMPLIES,
        "Het verwerkingsregister van de klant wordt in de assistent bijgehouden.",
        [_register_evidence(k.client, "overzicht", quote)],
    )


def _reg_02(q: ChecklistQuestion, k: ClientKnowledge, r: Register, _: CheckAnswer) -> CheckAnswer:
    gaps: dict[str, list[str]] = {}
    for a in r.activities:
        fields = [
            label
            for label, value in (
                ("doel", a.purpose),
                ("grondslag", a.legal_basis or a.for_another_controller),
                ("categorieën gegevens", a.data_categories),
                ("betrokkenen", a.data_subjects),
                ("bewaartermijn", a.retention),
            )
            if not value
        ]
        fields += [f"waarborg doorgifte {t.country}" for t in a.transfers if not _safeguard(t.safeguard)]
        fields += [
            f"doorgifte naar {service.country} ({recipient})"
            for recipient, service in _unrecorded_services(a)
        ]
        if fields:
            gaps[a.name] = fields
    if not gaps:
        return _answer(
            q,
            STATUS_COMPLIES,
            "Alle verwerkingen in het register hebben doel, grondslag, gegevens, betrokkenen en "
            "bewaartermijn.",
            [_register_evidence(k.client, "alle verwerkingen", "Geen ontbrekende velden.")],
        )
    evidence = [
        _register_evidence(k.client, name, "Ontbreekt: " + ", ".join(fields) + ".", negative=True)
        for name, fields in gaps.items()
    ]
    text = "; ".join(f"{name}: {', '.join(fields)}" for name, fields in gaps.items())
    return _answer(q, STATUS_PARTIAL, f"In het register ontbreken velden ({text}).", evidence, list(gaps))


def _unrecorded_services(activity: Activity) -> list[tuple[str, Service]]:
    """(recipient, service) for each recipient of ``activity`` that is a known service outside the EEA
    (``diensten_buiten_eer.yaml``; not one that offers processing in the EU) recorded without a country or
    with one outside the EEA, while the activity records no transfer: "Intuit Mailchimp" as the newsletter's
    processor, with no transfer to the United States."""
    found = []
    for recipient in activity.recipients:
        if recipient.country and in_eea(recipient.country):
            continue
        naming = [s for s in known_services() if names_service(recipient.name, s)]
        # a recipient one entry with EU processing or a publishing platform also names ("Google Cloud") is
        # left to the consultant; so is a service with a transfer of its own, or a transfer without recipient
        if not naming or any(s.eu or s.publication for s in naming):
            continue
        service = naming[0]
        if any(not t.recipient.strip() or names_service(t.recipient, service) for t in activity.transfers):
            continue
        found.append((recipient.name, service))
    return found


def _per_activity(
    q: ChecklistQuestion,
    k: ClientKnowledge,
    r: Register,
    lacking: list[Activity],
    what: str,
    ok: str,
) -> CheckAnswer:
    if not lacking:
        return _answer(q, STATUS_COMPLIES, ok, [_register_evidence(k.client, "alle verwerkingen", ok)])
    names = [a.name for a in lacking]
    status = STATUS_FAILS if len(lacking) == len(r.activities) else STATUS_PARTIAL
    evidence = [_register_evidence(k.client, n, f"{what} ontbreekt.", negative=True) for n in names]
    return _answer(q, status, f"{what} ontbreekt in het register bij: {', '.join(names)}.", evidence, names)


def _grs_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, _: CheckAnswer) -> CheckAnswer:
    own = r.own_processing()  # processing for another controller rests on that controller's basis
    lacking = [a for a in own.activities if not a.legal_basis]
    paid = [a.name for a in own.activities if consent_for_payment(a)]
    if not lacking and paid:
        # "Lesgeld en automatische incasso" on consent: a SEPA mandate is no consent of the AVG, the payment
        # rests on the contract (art. 6 lid 1 sub b AVG)
        reason = (
            f"Het register noemt toestemming als grondslag voor een betaling of incasso ({', '.join(paid)}); "
            "dat rust op de overeenkomst (art. 6 lid 1 sub b AVG), een SEPA-machtiging is geen toestemming."
        )
        evidence = [_register_evidence(k.client, n, reason, negative=True) for n in paid]
        return _answer(q, STATUS_PARTIAL, reason, evidence, paid)
    return _per_activity(
        q, k, own, lacking, "De grondslag", "Elke verwerking in het register heeft een grondslag."
    )


def _bwt_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, _: CheckAnswer) -> CheckAnswer:
    lacking = [a for a in r.activities if not a.retention]
    return _per_activity(
        q, k, r, lacking, "De bewaartermijn", "Elke verwerking in het register heeft een bewaartermijn."
    )


def _not_applicable(q: ChecklistQuestion, k: ClientKnowledge, reason: str) -> CheckAnswer:
    return _answer(
        q, STATUS_NOT_APPLICABLE, reason, [_register_evidence(k.client, "alle verwerkingen", reason)]
    )


def _grs_02(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    if any(a.legal_basis == "a" or a.art9_exception == "a" for a in r.activities):
        return None
    return _not_applicable(q, k, "Geen verwerking in het register berust op toestemming.")


def _grs_03(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    interest = [a for a in r.own_processing().activities if a.legal_basis == "f"]
    if not interest:
        return _not_applicable(q, k, "Geen verwerking in het register berust op gerechtvaardigd belang.")
    # The balancing test is per activity: one on file for the cameras does not cover a marketing campaign.
    lacking = [a for a in interest if answer(a.balancing_test) != YES]
    if not lacking:
        # Every activity has one on file (an admission in the documents came first: known_answer). A
        # one-line remark is no written weighing of interest, necessity and the person's interests.
        evidence = [_register_evidence(k.client, a.name, clip(a.balancing_test)) for a in interest]
        thin = [a.name for a in interest if not substantive_balancing_test(a.balancing_test)]
        if thin:
            why = (
                "De vastgelegde belangenafweging is te summier (een enkele opmerking, geen afweging van "
                f"belang, noodzaak en de belangen van betrokkenen) bij: {', '.join(thin)}."
            )
            return _answer(q, STATUS_PARTIAL, why, [*evidence, *d.evidence], thin)
        ok = "Elke verwerking op grond van gerechtvaardigd belang heeft een vastgelegde belangenafweging."
        return _answer(q, STATUS_COMPLIES, ok, [*evidence, *d.evidence])
    names = [a.name for a in lacking]
    status = STATUS_FAILS if len(lacking) == len(interest) and not d.evidence else STATUS_PARTIAL
    evidence = [
        _register_evidence(k.client, n, "Gerechtvaardigd belang zonder vastgelegde belangenafweging.", True)
        for n in names
    ]
    return _answer(
        q,
        status,
        "Geen vastgelegde belangenafweging in het register bij de verwerking(en) op grond van "
        "gerechtvaardigd "
        f"belang: {', '.join(names)}."
        + (
            " De documenten noemen een afweging voor andere verwerkingen; zie het bewijs."
            if d.evidence
            else ""
        ),
        [*evidence, *d.evidence],
        names,
    )


#: Words of a written balancing test at least this long count as one; shorter ones must cite a document.
BALANCING_TEST_WORDS = 20
_CITES_DOCUMENT = re.compile(
    r"\b(?:zie|bijlage|d\.d\.|(?:19|20)\d\d)\b|\w*(?:beleid|document|notitie|memo|rapport|reglement|dpia)\b"
)


def substantive_balancing_test(text: str) -> bool:
    """Whether a register's ``belangenafweging`` is a written weighing, not a one-line remark.

    It is when it has some length (:data:`BALANCING_TEST_WORDS` words) or points to the document or
    dated note that holds the weighing ("zie notitie belangenafweging camera's, maart 2024", "vastgelegd
    in het camerabeleid").
    """
    folded = fold(text)
    return len(folded.split()) >= BALANCING_TEST_WORDS or bool(_CITES_DOCUMENT.search(folded))


#: What an employer may not record about a sick employee: the nature or cause of the illness (only the
#: company doctor may; AP guidance on sickness absence, art. 9 AVG with art. 30 UAVG).
_SICKNESS_NATURE = re.compile(
    r"(?<!zonder )(?<!geen )\b(?:reden|aard|oorzaak) van (?:het |de )?"
    r"(?:verzuim|ziekte|ziekmelding|klacht\w*|uitval)"
    r"|(?<!zonder )(?<!geen )\b(?:ziekteoorzaak|diagnose)\b"
)
_EMPLOYEES = re.compile(r"\b(?:medewerker|werknemer|personeel|stagiair|oproepkracht|uitzendkracht)\w*")


def _sickness_nature(r: Register) -> list[Activity]:
    """Activities about employees whose data name the nature or cause of sickness ("reden van verzuim")."""
    return [
        a
        for a in r.own_processing().activities
        if _EMPLOYEES.search(fold(" ".join([a.name, *a.data_subjects])))
        and _SICKNESS_NATURE.search(fold(" ".join([*a.data_categories, *a.special_categories])))
    ]


def _grs_04(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    special = [a for a in r.own_processing().activities if a.special_categories]
    sickness = _sickness_nature(r)
    if sickness:
        names = [a.name for a in sickness]
        reason = (
            f"Het register legt bij {', '.join(names)} de reden of aard van het verzuim vast. Een werkgever "
            "mag de aard en oorzaak van een ziekte niet registreren (alleen de bedrijfsarts; art. 9 AVG, "
            "art. 30 UAVG): daar geldt geen uitzondering voor."
        )
        evidence = [_register_evidence(k.client, n, reason, negative=True) for n in names]
        return _answer(q, STATUS_PARTIAL, reason, evidence, names)
    own = {a.name for a in r.own_processing().activities}
    documented = [s for s in k.special if s.activity in own]
    if documented:
        # "de medische stukken die de aanvrager meestuurt, zetten wij in het klantdossier" for an activity
        # whose register entry records no special data, so no exception of art. 9 lid 2 either
        names = list(dict.fromkeys(s.activity for s in documented))
        shown = "; ".join(f"{s.kind} bij '{s.activity}' ({s.what})" for s in documented)
        reason = (
            f"De documenten tonen {shown}, maar het register legt daar geen bijzondere persoonsgegevens en "
            "geen uitzondering van art. 9 lid 2 AVG voor vast."
        )
        evidence = [_sighting_evidence(s, k.client, "bijzonder") for s in documented]
        return _answer(q, STATUS_PARTIAL, reason, evidence, names)
    if not special:
        return _not_applicable(q, k, "Het register noemt geen bijzondere persoonsgegevens.")
    lacking = [a for a in special if not a.art9_exception]
    return _per_activity(
        q,
        k,
        r,
        lacking,
        "De uitzondering van art. 9 lid 2",
        "Elke verwerking van bijzondere gegevens heeft een uitzondering van art. 9 lid 2 in het register.",
    )


def _tra_02(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    if any(a.from_other_source for a in r.activities):
        return None
    if k.other_sources and not _documents_describe(d):
        # the register records no source, but the documents show data from others ("ontvangen wij van het
        # CIZ"): the question applies, and nothing shows that those people are informed
        named = [o for o in k.other_sources if o.activity] or k.other_sources
        parts = "; ".join(f"{o.activity or 'register'}: {o.party}" for o in named[:3])
        reason = (
            "Het register legt geen bron vast, maar de documenten laten zien dat gegevens (ook) van anderen "
            f"komen ({parts}). Daarvoor gelden de informatieplichten van art. 14 AVG; in de documenten is "
            "niet gevonden dat deze betrokkenen worden geïnformeerd."
        )
        evidence = [
            Evidence(
                document=o.document,
                page=o.page,
                citation=o.where,
                quote=o.quote,
                chunk_id=f"bron:{k.client}:{o.activity}",
                score=1.0,
                scope=client_scope(k.client),
                polarity=POLARITY_SUPPORTS,
            )
            for o in named[:3]
        ]
        return _answer(q, STATUS_PARTIAL, reason, evidence, [o.activity for o in named if o.activity])
    return _not_applicable(q, k, "Volgens het register komen alle gegevens van de betrokkenen zelf.")


def _dgf_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, _: CheckAnswer) -> CheckAnswer:
    places = r.places_outside_eea()
    quote = (
        f"Doorgiften buiten de EER: {', '.join(places)}."
        if places
        else "Het register noemt geen ontvangers of doorgiften buiten de EER."
    )
    return _answer(
        q,
        STATUS_COMPLIES,
        "Het register legt per verwerking ontvangers en doorgiften vast.",
        [_register_evidence(k.client, "ontvangers en doorgiften", quote)],
    )


#: A safeguard field that names none yet ("nog uitzoeken", "onbekend", "?").
_NO_SAFEGUARD = re.compile(r"^(?:geen|nee|niet|onbekend|nog|n\.?v\.?t|tbd|uitzoeken|nagaan|navragen|\?)")


def _safeguard(text: str) -> bool:
    """True when a register's safeguard field names a valid safeguard (not empty, not "nog uitzoeken", not
    the struck-down Privacy Shield or Safe Harbor)."""
    return bool(text.strip()) and not _NO_SAFEGUARD.match(fold(text).strip()) and not invalid_safeguard(text)


def _dgf_02(q: ChecklistQuestion, k: ClientKnowledge, r: Register, _: CheckAnswer) -> CheckAnswer:
    if not r.places_outside_eea():
        return _not_applicable(q, k, "Het register noemt geen doorgifte buiten de EER.")
    # The transfer mechanism belongs to the recipient (its certification, its contract), not to one
    # activity: a safeguard recorded for a recipient covers that recipient in every activity.
    safe = {
        company_key(t.recipient)
        for a in r.activities
        for t in a.transfers
        if t.recipient and _safeguard(t.safeguard)
    }
    safe.discard("")
    lacking = [a for a in r.activities if any(not _safeguard(t.safeguard) for t in a.transfers)]
    lacking += [
        a
        for a in r.activities
        if a not in lacking
        and any(x.country and not in_eea(x.country) and company_key(x.name) not in safe for x in a.recipients)
        and not a.transfers
    ]
    with_transfer = [
        a
        for a in r.activities
        if a.transfers or any(x.country and not in_eea(x.country) for x in a.recipients)
    ]
    fake = Register(r.client, r.controller, with_transfer)
    result = _per_activity(
        q,
        k,
        fake,
        lacking,
        "De waarborg voor de doorgifte",
        "Elke doorgifte in het register heeft een waarborg.",
    )
    struck = {
        f"{t.recipient or t.country} ({name})"
        for a in r.activities
        for t in a.transfers
        if (name := invalid_safeguard(t.safeguard))
    }
    if struck:
        result = replace(
            result,
            rationale=f"{result.rationale} Het register noemt een waarborg die het Hof van Justitie ongeldig "
            f"heeft verklaard: {', '.join(sorted(struck))}; sinds 16 juli 2020 (C-311/18, Schrems II) is dat "
            "geen grondslag voor doorgifte.",
        )
    return result


def _vwk_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    processors = k.processors()
    if not processors:
        return None
    missing = [p for p in processors if k.agreements.get(p) is None]
    found = [e for p in processors if (e := k.agreements.get(p)) is not None]
    claim = _agreements_with_all(d)
    if missing and claim and not _shown_without_agreement(missing, d):
        # "Met alle verwerkers is een verwerkersovereenkomst gesloten" (the client's own record): the
        # agreements not in the dossier are to be requested, not a gap the documents show
        return _answer(
            q,
            STATUS_COMPLIES,
            f"De klant schrijft dat met alle verwerkers een verwerkersovereenkomst is gesloten "
            f"(„{clip(claim)}”); niet in het dossier: {', '.join(missing)}. Vraag die overeenkomsten op.",
            found,
            missing,
        )
    if not missing:
        own_words = _agreements_lacking_in_own_words(q, [*d.evidence, *found])
        if own_words:
            # the register cannot know the processors it does not list: "Jeroen heeft nog steeds geen
            # verwerkersovereenkomst van Lentink ontvangen", "Alleen met Sportbase hebben we er een"
            return _answer(
                q,
                STATUS_PARTIAL,
                f"Voor elke verwerker in het register ({', '.join(processors)}) staat een "
                "verwerkersovereenkomst in de documenten, maar de klant schrijft zelf dat er een ontbreekt: "
                + "; ".join(f"„{clip(s)}”" for s in own_words[:2])
                + ". Ga na welke partijen nog meer namens de klant gegevens verwerken.",
                found,
            )
        return _answer(
            q,
            STATUS_COMPLIES,
            f"Voor elke verwerker in het register ({', '.join(processors)}) staat een verwerkersovereenkomst "
            "in de documenten van de klant.",
            found,
        )
    status = STATUS_FAILS if len(missing) == len(processors) else STATUS_PARTIAL
    return _answer(
        q,
        status,
        f"Geen verwerkersovereenkomst gevonden met: {', '.join(missing)} (verwerkers volgens het register).",
        [
            *found,
            *[
                _register_evidence(k.client, p, f"Verwerker {p}: geen overeenkomst gevonden.", True)
                for p in missing
            ],
        ],
        missing,
    )


_ALL_PROCESSORS = re.compile(
    r"\b(?:met|voor) (?:al onze|alle|iedere|elke) (?:\w+ ){0,2}?(?:verwerkers?|leveranciers?)\b[^.;]{0,120}"
    r"\bverwerkersovereenkomst\w*"
)


def _agreements_with_all(d: CheckAnswer) -> str:
    """The client's sentence that there is an agreement with every processor ("" when there is none)."""
    for e in d.evidence:
        for sentence in sentences(e.passage or e.quote):
            folded = " ".join(fold(sentence).split())
            if _ALL_PROCESSORS.search(folded) and not re.search(r"\b(?:niet|nog geen|geen)\b", folded):
                return sentence
    return ""


#: "Alleen met Sportbase (ClubAdmin) hebben we een verwerkersovereenkomst": the others have none.
_ONLY_WITH = re.compile(
    r"\balleen (?:met|voor|bij) [^.;]{1,60}\b(?:hebben|heeft|is|zijn)\b[^.;]{0,40}\bverwerkersovereenkomst"
)


def _agreements_lacking_in_own_words(q: ChecklistQuestion, evidence: list[Evidence]) -> list[str]:
    """Sentences of the passages (the documents' proposal and the agreements found) in which the client
    writes that an agreement is missing or not signed, or that only one processor has one (not from a
    processor's agreement itself)."""
    own = list(
        dict.fromkeys(e.passage or e.quote for e in evidence if not is_processing_agreement(e.document))
    )
    found = [s for s in limitations(q, own) if "overeenkomst" in fold(s)]
    found += [s for text in own for s in sentences(text) if _ONLY_WITH.search(" ".join(fold(s).split()))]
    # the question's known weakness, wherever the client wrote it: "met Jelmer hebben we niets op papier"
    found += red_flags(q, own)
    return list(dict.fromkeys(found))


def _shown_without_agreement(processors: list[str], d: CheckAnswer) -> bool:
    """Whether the documents show one of ``processors`` has no (signed) agreement: the client's general
    claim does not cover what its own passages deny ("CONCEPT ligt er, nog niet ondertekend")."""
    for e in d.evidence:
        text = e.passage or e.quote
        if is_processing_agreement(e.document) and unsigned(f"{e.document} {text[:400]}"):
            return True
        if any(agreement_denied(text, plain_words(p)) for p in processors):
            return True
    return False


#: Direct marketing in a register activity's name or purpose (not recruitment, not a photo on the website).
_MARKETING = re.compile(
    r"\b(?:\w*nieuwsbrie\w*|\w*marketing\w*|\w*mailing\w*|aanbieding\w*|reclame\w*|acties|acquisitie|"
    r"relatiebeheer|fondsenwerving|direct mail|klantenbinding|\w*campagne\w*)\b"
)


def _rec_04(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    """No direct marketing in the register and nothing about it in the documents: nothing to object to."""
    if d.label != LABEL_NO_EVIDENCE or _matches(r, _MARKETING):
        return None
    return _not_applicable(
        q,
        k,
        "Het register noemt geen direct marketing (nieuwsbrief, mailings, aanbiedingen, acties) en de "
        "documenten zeggen er niets over.",
    )


def _fg_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    """An appointed FG answers whether one must be appointed: the duty, if any, is met (art. 37 lid 1)."""
    if not r.controller.has_fg:
        return None
    name = r.controller.fg_name or r.controller.fg_email
    return _answer(
        q,
        STATUS_COMPLIES,
        f"Er is een FG aangesteld ({name}): of een FG verplicht is of niet, de organisatie heeft er een. "
        "Controleer of de aanstelling bij de AP is gemeld (FG-02).",
        [*d.evidence, _register_evidence(k.client, "organisatie", f"FG: {name}")],
    )


def _fg_02(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    if r.controller.has_fg:
        return None
    return _not_applicable(
        q, k, "Volgens het register is er geen FG aangesteld (of dat mag: zie FG-01/FG-03)."
    )


def _fg_03(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    special = [a.name for a in r.activities if a.special_categories]
    monitoring = [
        a.name
        for a in r.activities
        if _CAMERA.search(_text(a)) or "geautomatiseerde" in fold(" ".join(dpia_criteria(a)))
    ]
    if not special and not monitoring:
        return _not_applicable(
            q,
            k,
            "Het register noemt geen bijzondere gegevens en geen stelselmatige monitoring "
            "(controleer of de klant een overheidsorgaan is).",
        )
    facts = "; ".join(
        p
        for p in (
            f"bijzondere gegevens in: {', '.join(special)}" if special else "",
            f"monitoring in: {', '.join(monitoring)}" if monitoring else "",
        )
        if p
    )
    if r.controller.has_fg:
        return _answer(
            q,
            STATUS_COMPLIES,
            f"Er is een FG vastgelegd ({r.controller.fg_name or r.controller.fg_email}); {facts}.",
            [
                _register_evidence(
                    k.client, "organisatie", f"FG: {r.controller.fg_name or r.controller.fg_email}"
                )
            ],
        )
    return CheckAnswer(
        q.id,
        STATUS_UNKNOWN,
        LABEL_KNOWN,
        f"Geen FG in het register, terwijl {facts}. Beoordeel of dit grootschalig is "
        "(art. 37 lid 1 sub b/c AVG)."
        + (" De documenten noemen een eigen afweging; zie het bewijs." if d.evidence else ""),
        [*d.evidence, _register_evidence(k.client, "organisatie", "Geen FG vastgelegd.")],
        source=SOURCE_KNOWN,
        subjects=special + monitoring,
    )


#: The AP's list of processing that always needs a DPIA (its "Besluit inzake lijst van verwerkingen van
#: persoonsgegevens waarvoor een DPIA verplicht is", 2019) names the large-scale and/or systematic
#: processing of location data on its own.
LOCATION_CRITERION = "stelselmatige verwerking van locatiegegevens (AP-lijst: DPIA verplicht)"


def _location_criteria(activity: Activity, k: ClientKnowledge) -> list[str]:
    """The location criterion when the register's data items or the documents (:attr:`ClientKnowledge.
    tracking`, named as the source) show location data of people for ``activity``."""
    if names_location(" ".join(activity.data_categories)):
        return [LOCATION_CRITERION]
    documented = _documented_location(activity, k)
    if documented is None:
        return []
    return [f"{LOCATION_CRITERION}, volgens {place(documented.document, documented.page)}"]


def _documented_location(activity: Activity, k: ClientKnowledge) -> TrackingData | None:
    """The documents' location data of an activity whose register entry does not list them (one finding
    per activity)."""
    return next((t for t in k.tracking if t.activity == activity.name and t.location), None)


def _sighting_evidence(sighting: Sighting, client: str, tag: str) -> Evidence:
    """The document sentence that shows what the register does not list for its activity (location data,
    special data); ``tag`` names the kind in the evidence's id."""
    return Evidence(
        sighting.document,
        sighting.page,
        place(sighting.document, sighting.page),
        sighting.quote,
        f"{tag}:{client}:{sighting.activity}",
        1.0,
        client_scope(client),
        sighting.quote,
    )


def _dpia_03(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    duty = {}
    for activity in r.activities:
        located = _location_criteria(activity, k)
        criteria = [*dpia_criteria(activity), *located]
        if len(criteria) >= 2 or located:
            duty[activity.name] = criteria
    if not duty:
        return _not_applicable(
            q, k, "Geen verwerking in het register raakt twee of meer DPIA-criteria of de AP-lijst."
        )
    names = list(duty)
    facts = "; ".join(f"{n}: {', '.join(c)}" for n, c in duty.items())
    evidence = [_register_evidence(k.client, n, "Criteria: " + ", ".join(c) + ".") for n, c in duty.items()]
    documented = [t for a in r.activities if a.name in duty and (t := _documented_location(a, k)) is not None]
    evidence += [_sighting_evidence(t, k.client, "tracking") for t in documented]
    if d.evidence:
        # The documents' own verdict (an admission, a DPIA shown as carried out or only mentioned),
        # then per activity with a DPIA duty: is it named where the documents speak of a DPIA?
        uncovered = [name for name in names if not _named_in(name, d.evidence)]
        status = d.status if d.status in (STATUS_COMPLIES, STATUS_PARTIAL, STATUS_FAILS) else STATUS_PARTIAL
        if status == STATUS_COMPLIES and uncovered:
            status = STATUS_PARTIAL
        missing = f" Niet genoemd bij de DPIA: {', '.join(uncovered)}." if uncovered else ""
        return CheckAnswer(
            q.id,
            status,
            LABEL_KNOWN,
            f"DPIA-plicht volgens het register ({facts}); de documenten noemen een DPIA.{missing} "
            f"{d.rationale}".strip(),
            [*d.evidence, *evidence],
            source=SOURCE_KNOWN,
            subjects=uncovered or names,
        )
    return _answer(
        q, STATUS_FAILS, f"DPIA waarschijnlijk verplicht ({facts}); geen DPIA gevonden.", evidence, names
    )


#: Words of an activity name too general to show that a passage is about that activity.
_GENERIC_NAME_WORDS = frozenset(
    {"gegevens", "verwerking", "administratie", "beheer", "registratie", "overige"}
)


def _named_in(activity: str, evidence: list[Evidence]) -> bool:
    """Whether a telling word of ``activity``'s name occurs in the passages of ``evidence`` or their
    documents' titles ("Samenvatting DPIA PatrolPoint (rondeapp en locatieregistratie beveiligers)")."""
    words = [w for w in re.findall(r"[a-z0-9]{4,}", fold(activity)) if w not in _GENERIC_NAME_WORDS]
    text = fold(" ".join(f"{e.document} {e.passage or e.quote}" for e in evidence))
    return not words or any(w in text for w in words)


def _matches(r: Register, pattern: re.Pattern[str], subjects_only: bool = False) -> list[str]:
    return [
        a.name
        for a in r.activities
        if pattern.search(fold(" ".join(a.data_subjects)) if subjects_only else _text(a))
    ]


def _register_lists(question: ChecklistQuestion, r: Register) -> bool:
    """Whether the register names the kind of data or processing a question of
    :data:`SUBJECT_MAY_BE_ABSENT` is about."""
    if question.id == "GRS-04":
        return any(a.special_categories for a in r.own_processing().activities)
    if question.id == "CAM-01":
        return bool(_matches(r, _CAMERA))
    if question.id == "KIN-01":
        return bool(_matches(r, _CHILDREN, subjects_only=True))
    if question.id == "ADM-01":
        return any(
            a.automated_decisions and not _NEGATIVE.match(fold(a.automated_decisions).strip())
            for a in r.activities
        )
    return False


def _adm_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    if _register_lists(q, r):
        return None
    return _not_applicable(q, k, "Het register noemt geen geautomatiseerde besluiten of profilering.")


def _cam_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    if _register_lists(q, r) or d.evidence:
        return None
    return _not_applicable(q, k, "Het register noemt geen cameratoezicht.")


def _kin_01(q: ChecklistQuestion, k: ClientKnowledge, r: Register, d: CheckAnswer) -> CheckAnswer | None:
    if _register_lists(q, r):
        return None
    return _not_applicable(q, k, "Het register noemt geen kinderen als betrokkenen.")


def knowledge_from_privacy(privacy: PrivacyService, client: str) -> ClientKnowledge:
    """The register and the newest draft of ``client``, read through the privacy service's public API."""
    register = privacy.register(client) if client in privacy.clients() else None
    statement = None
    records = privacy.drafts(client)
    if records:
        record = max(records, key=lambda r: r.id)
        draft = privacy.view(record.id).draft
        placeholders = [s.title for s in draft.sections if s.has_placeholder]
        statement = StatementInfo(
            record.title, record.version, record.status_label, record.status == "goedgekeurd", placeholders
        )
    return ClientKnowledge(client, register, statement)


_RULES: dict[
    str, Callable[[ChecklistQuestion, ClientKnowledge, Register, CheckAnswer], CheckAnswer | None]
] = {
    "REG-01": _reg_01,
    "REG-02": _reg_02,
    "GRS-01": _grs_01,
    "GRS-02": _grs_02,
    "GRS-03": _grs_03,
    "GRS-04": _grs_04,
    "TRA-02": _tra_02,
    "BWT-01": _bwt_01,
    "DGF-01": _dgf_01,
    "DGF-02": _dgf_02,
    "REC-04": _rec_04,
    "VWK-01": _vwk_01,
    "FG-01": _fg_01,
    "FG-02": _fg_02,
    "FG-03": _fg_03,
    "DPIA-03": _dpia_03,
    "ADM-01": _adm_01,
    "CAM-01": _cam_01,
    "KIN-01": _kin_01,
}
