"""Cross-checks: what the client's documents say against what the register and the tool know.

A consultant reads the documents next to the register and knows the common cloud services. Four checks
follow from that; each can only make a proposal stricter (never lift a gap) and names what it found:

* **Known services outside the EEA** (:mod:`assistant.features.check.outside_eea`) named in a document
  while the register does not record the transfer → DGF-01 *voldoet niet* when documents or register
  claim that everything stays in the EU/EEA, *voldoet deels* when they are silent; DGF-02 *voldoet niet*
  for such an unrecorded transfer, *voldoet deels* for a recorded one without a safeguard; REG-02
  *voldoet deels* (the register lacks the transfer).
* **Processors named in the documents** (a company with a legal form in a sentence about a service done
  for the client, a row of a supplier table, a known service) but missing from the register's recipients
  → REG-02 *voldoet deels*; when the passage ties the supplier to an activity of the register, that entry
  was not kept up to date → REG-03 *voldoet deels*; without a processing agreement among the documents
  → VWK-01 *voldoet deels*.
* **Vague retention** ("niet langer dan noodzakelijk", "zolang nodig") in the register, in a row of a
  retention table or in a sentence about one kind of data ("Gegevens van vrijwilligers bewaren we niet
  langer dan nodig", "Foto's van activiteiten: niet langer dan nodig"; not the general principle "wij
  bewaren persoonsgegevens niet langer dan nodig", not in a privacy statement or a processor's
  agreement) → BWT-01 *voldoet deels* and REG-02 for the register's own, naming the categories.

Every finding stays a proposal for the consultant, who checks the transfer mechanism, the role of a
named company and the actual term.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from assistant.features.check.checklist import ChecklistQuestion
from assistant.features.check.document_kinds import is_privacy_statement, is_processing_agreement
from assistant.features.check.model import (
    LABEL_CROSS_CHECK,
    STATUS_FAILS,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
    Evidence,
    clip,
)
from assistant.features.check.outside_eea import Service, ServiceMention, mentions, names_service
from assistant.features.privacy.automated_decisions import described_automated_decisions
from assistant.features.privacy.countries import EEA_COUNTRIES, country_key, country_phrase, in_eea, places_in
from assistant.features.privacy.durations import durations
from assistant.features.privacy.model import PROCESSOR, YES, Register, is_health
from assistant.features.privacy.model import answer as yes_or_no
from assistant.features.privacy.other_sources import Passage
from assistant.features.privacy.register_conflicts import (
    FIELD_BASIS,
    FIELD_RECIPIENTS,
    FIELD_RETENTION,
    Conflict,
    retired_recipients,
)
from assistant.features.privacy.register_recipients import company_key
from knowledge.scopes import client_scope
from knowledge.text_analysis import fold, plain_words

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_LEGAL_FORM = r"(?:B\.\s?V\.|BV|N\.\s?V\.|NV|LLC|Inc\.?|Ltd\.?|GmbH|S\.A\.)"
_COMPANY = re.compile(rf"((?:[A-Z0-9][\w'’-]*\s+(?:&\s+)?){{1,3}}){_LEGAL_FORM}(?![\w])")
_LEADING = {
    "de", "het", "een", "met", "bij", "via", "door", "van", "voor", "aan", "onze", "wij", "ook", "en", "naar",
    "dat", "die", "in", "op", "sinds", "als", "omdat", "dienst", "betaaldienst", "leverancier", "verwerker",
}  # fmt: skip
#: A sentence about a service done for the client: a processor rather than an independent party.
_PROCESSOR_CONTEXT = re.compile(
    r"\b(?:verwerker\w*|leverancier\w*|host\w*|beheer\w*|gebouwd|ontwikkeld|draait|opgeslagen|opslag|"
    r"in opdracht|maakt gebruik|maken gebruik|gebruiken wij|gebruiken we|gebruikt|software|platform|portaal|"
    r"cloud|dienst\w*|abonnement|applicatie|systeem|via|levert|verzorgt|bezorgd|verstuurd)\b"
)
_OWN_CONTROLLER = re.compile(r"\b(?:zelf|zelfstandig|eigen)\s+(?:verwerkings)?verantwoordelijk")
_SUBPROCESSOR = re.compile(r"\bsub-?verwerk")
_SUPPLIER_HEADER = re.compile(r"\b(?:leverancier\w*|verwerker\w*|dienstverlener\w*|partij)\b")
_NOT_APPLICABLE = re.compile(r"\bn\.?v\.?t\.?(?![a-z])|\bniet van toepassing\b")
_EU_ONLY = re.compile(
    r"\b(?:blijven|blijft|staan|opgeslagen|bewaard|verwerkt)\b.*"
    r"\b(?:binnen de (?:eer|eu|europese)|in nederland)\b"
    r"|\b(?:niet|geen)\b.*\bbuiten (?:de )?(?:eer|eu|europese|europa)\b"
)
_OUTSIDE_EEA = re.compile(
    r"\b(?:verenigde staten|vs|usa|amerika\w*|buiten de (?:eer|eu|europese)|derde land\w*|doorgifte\w*)\b"
)
_SAFEGUARD = re.compile(
    r"\b(?:standaardcontractbepaling\w*|modelcontract\w*|scc'?s?|data privacy framework|dpf|"
    r"adequaatheid\w*|passende waarborg\w*|bindende bedrijfsvoorschriften|bcr)\b"
)
_VAGUE = re.compile(
    r"\bniet langer (?:bewaard |bewaren )?dan (?:strikt )?(?:noodzakelijk|nodig)\b|\bzo ?lang (?:als |dat )?"
    r"(?:noodzakelijk|nodig)\b|\bzo kort mogelijk\b"
    r"|\bnog (?:niet )?(?:vast te stellen|te bepalen|vastgesteld)\b"
    r"|\bonbepaalde tijd\b"
)


@dataclass(frozen=True)
class Finding:
    """A stricter proposal for one question: status, the reason and the passages it rests on."""

    status: str
    reason: str
    passages: list[tuple[DocumentPassage, str]]
    subjects: list[str]


@dataclass(frozen=True)
class NamedProcessor:
    """A company the documents name as doing something for the client."""

    name: str
    passage: DocumentPassage
    sentence: str
    service: Service | None = None


def sentences(text: str) -> list[str]:
    """The sentences and table rows of a passage."""
    return [" ".join(s.split()) for s in _SENTENCE.split(text) if s.strip()]


# --- known services outside the EEA ------------------------------------------------------------------


def service_mentions(passages: list[DocumentPassage]) -> list[tuple[DocumentPassage, ServiceMention]]:
    """Every sentence of the documents that names a known service outside the EEA (a transfer)."""
    found = []
    for passage in passages:
        for sentence in sentences(passage.text):
            found += [(passage, m) for m in mentions(sentence) if m.transfer]
    return found


def eu_only_claims(passages: list[DocumentPassage], register: Register | None) -> list[str]:
    """Where the client says that all data stay in the EU/EEA (sentences, register entries)."""
    claims = [s for p in passages for s in sentences(p.text) if _EU_ONLY.search(plain_words(s))]
    if register is not None:
        claims += [
            f"Verwerkingsregister, {a.name}: doorgifte buiten de EER „{a.transfers_outside_eea}”"
            for a in register.activities
            if not a.transfers and re.match(r"\s*(?:nee|geen)\b", fold(a.transfers_outside_eea))
        ]
    return list(dict.fromkeys(claims))


def _register_records(service: Service, register: Register | None) -> tuple[bool, bool]:
    """(the register records a transfer to the service, with a safeguard)."""
    if register is None:
        return False, False
    recorded = safeguarded = False
    for activity in register.activities:
        for transfer in activity.transfers:
            if names_service(f"{transfer.recipient} {transfer.country}", service) or (
                transfer.recipient == "" and any(names_service(r.name, service) for r in activity.recipients)
            ):
                recorded = True
                safeguarded = safeguarded or bool(transfer.safeguard.strip())
        for recipient in activity.recipients:
            if names_service(recipient.name, service) and recipient.country and not in_eea(recipient.country):
                recorded = True
    return recorded, safeguarded


@dataclass(frozen=True)
class NamedTransfer:
    """A known service outside the EEA the documents name: where first, whether the register records the
    transfer (or a document acknowledges it), whether a safeguard is shown, and the document sentences that
    acknowledge it when the register does not record it."""

    passage: DocumentPassage
    mention: ServiceMention
    recorded: bool
    safeguarded: bool
    acknowledged: list[tuple[DocumentPassage, str]]


def named_transfers(known_passages: list[DocumentPassage], register: Register | None) -> list[NamedTransfer]:
    """One :class:`NamedTransfer` per known service the documents name (for :func:`transfer_findings` and
    :func:`unnoticed_transfer_findings`)."""
    all_sentences = [(p, s, plain_words(s)) for p in known_passages for s in sentences(p.text)]
    result = []
    seen: set[str] = set()
    for passage, mention in service_mentions(known_passages):
        service = mention.service
        if service.name in seen:
            continue
        seen.add(service.name)
        recorded, safeguarded = _register_records(service, register)
        naming = [(p, s, folded) for p, s, folded in all_sentences if names_service(folded, service)]
        acknowledged = [] if recorded else [(p, s) for p, s, folded in naming if _OUTSIDE_EEA.search(folded)]
        safeguarded = safeguarded or any(_SAFEGUARD.search(folded) for _, _, folded in naming)
        result.append(
            NamedTransfer(passage, mention, recorded or bool(acknowledged), safeguarded, acknowledged)
        )
    return result


def unnoticed_transfer_findings(
    passages: list[DocumentPassage], register: Register | None, transfers: list[NamedTransfer]
) -> dict[str, Finding]:
    """DGF-01 *voldoet niet* (and REG-02) when the client says the data stay in the EU/EEA (its own
    documents or register) while a transfer outside the EEA is acknowledged only in a processor's agreement
    ("Bijlage 2 — Subverwerkers: … Amazon S3 | AWS-regio US East, Verenigde Staten"): the processor knows,
    the client does not, so the transfer is not in the client's view or register. DGF-02 *voldoet deels*
    when that agreement names the safeguard (the client has not assessed it), as a consultant would."""
    own_claims = eu_only_claims([p for p in passages if not is_processing_agreement(p.document)], register)
    unnoticed = [
        t
        for t in transfers
        if t.acknowledged and all(is_processing_agreement(p.document) for p, _ in t.acknowledged)
    ]
    if not own_claims or not unnoticed:
        return {}
    names = [_service_label(t.mention) for t in unnoticed]
    quoted = [t.acknowledged[0] for t in unnoticed]
    where = "; ".join(dict.fromkeys(p.document for p, _ in quoted))
    reason = (
        f"De klant schrijft dat de gegevens in de EU/EER blijven („{clip(own_claims[0])}”), maar {where} "
        f"noemt doorgifte naar {', '.join(names)} („{clip(quoted[0][1])}”). De doorgifte staat alleen in de "
        "overeenkomst van de verwerker en is door de klant niet onderkend."
    )
    subjects = list(dict.fromkeys(t.mention.service.name for t in unnoticed))
    findings = {
        "DGF-01": Finding(STATUS_FAILS, reason, quoted, subjects),
        "REG-02": Finding(
            STATUS_PARTIAL,
            f"Het register legt de doorgifte naar {', '.join(names)} niet vast (alleen {where} noemt haar).",
            quoted,
            subjects,
        ),
    }
    safeguarded = [t.mention for t in unnoticed if t.safeguarded]
    if safeguarded:
        findings["DGF-02"] = Finding(
            STATUS_PARTIAL,
            f"De waarborg voor de doorgifte naar {', '.join(_service_label(m) for m in safeguarded)} staat "
            f"alleen in {where}; de klant heeft de doorgifte niet zelf beoordeeld (doorgiftetoets, welke "
            "gegevens).",
            quoted,
            [m.service.name for m in safeguarded],
        )
    return findings


def unrecorded_transfers(client_passages: Sequence[Passage], register: Register | None) -> list[str]:
    """The transfers outside the EEA the documents show and the register does not record: a known service
    by name ("WhatsApp (WhatsApp LLC / Meta Platforms, Inc., Verenigde Staten)") or, quoted, a sentence that
    describes processing outside the EEA (as DGF-01 reads them). What a privacy statement owes its readers
    whatever the register says (art. 13 lid 1 sub f AVG); the privacy service's check of a statement calls
    it with the passages it has read already."""
    passages = [
        p if isinstance(p, DocumentPassage) else DocumentPassage(p.document, p.text, page=p.page)
        for p in client_passages
    ]
    found = [
        _service_label(t.mention)
        for t in named_transfers(passages, register)
        if not _register_records(t.mention.service, register)[0]
    ]
    described = described_transfer_findings(passages, register).get("DGF-01")
    if described is not None:
        found.append(f"„{clip(described.passages[0][1], 120)}”")
    return found


def _service_label(mention: ServiceMention) -> str:
    service = mention.service
    return f"{service.name} ({service.company}, {service.country})"


def transfer_findings(
    passages: list[DocumentPassage], register: Register | None, transfers: list[NamedTransfer]
) -> dict[str, Finding]:
    """Findings for DGF-01, DGF-02 and REG-02 from known services named in the documents."""
    unrecorded = [(t.passage, t.mention) for t in transfers if not t.recorded]
    unsafe = [(t.passage, t.mention) for t in transfers if t.recorded and not t.safeguarded]
    claims = eu_only_claims(passages, register)
    findings: dict[str, Finding] = {}
    if unrecorded:
        names = [_service_label(m) for _, m in unrecorded]
        notes = " ".join(dict.fromkeys(m.service.note for _, m in unrecorded if m.service.note))
        quoted = [(p, m.sentence) for p, m in unrecorded]
        if claims:
            reason = (
                f"De documenten noemen {', '.join(names)}, een dienst van buiten de EER, terwijl de klant "
                f"schrijft dat de gegevens in de EU/EER blijven („{clip(claims[0])}”). De doorgifte is niet "
                f"onderkend. {notes}"
            )
        else:
            reason = (
                f"De documenten noemen {', '.join(names)}, een dienst van buiten de EER; register en "
                f"documenten leggen die doorgifte niet vast. {notes}"
            )
        subjects = list(dict.fromkeys(m.service.name for _, m in unrecorded))
        findings["DGF-01"] = Finding(STATUS_FAILS if claims else STATUS_PARTIAL, reason, quoted, subjects)
        findings["DGF-02"] = Finding(
            STATUS_FAILS,
            f"Voor de doorgifte naar {', '.join(names)} is geen waarborg vastgelegd (de doorgifte zelf is "
            f"niet onderkend). {notes}",
            quoted,
            subjects,
        )
        findings["REG-02"] = Finding(
            STATUS_PARTIAL,
            f"Het register legt de doorgifte naar {', '.join(names)} niet vast (doorgifte, ontvanger).",
            quoted,
            subjects,
        )
    elif unsafe:
        names = [_service_label(m) for _, m in unsafe]
        findings["DGF-02"] = Finding(
            STATUS_PARTIAL,
            f"De doorgifte naar {', '.join(names)} is bekend, maar er is geen waarborg "
            "(adequaatheidsbesluit of standaardcontractbepalingen) gevonden.",
            [(p, m.sentence) for p, m in unsafe],
            [m.service.name for _, m in unsafe],
        )
    return findings


#: A provider outside the EEA that the documents describe instead of name ("de techniek komt van een
#: Amerikaans bedrijf", "het typewerk doet een team in Kaapstad (Zuid-Afrika)", "servers van een Amerikaanse
#: cloudaanbieder"): a country or nationality outside the EEA ...
_FOREIGN = re.compile(
    r"\b(?:amerikaans\w*|verenigde staten|vs|usa|zuid-afrikaans\w*|indiaas\w*|chinees\w*)\b"
)
#: ... in a sentence about where or by whom data are processed (not "gasten uit het Verenigd Koninkrijk") ...
_PROCESSING_PLACE = re.compile(
    r"\b(?:server\w*|opgeslagen|opslag\w*|verwerkt|verwerking\w*|host\w*|gehost|datacent\w*|cloud\w*|"
    r"bedrijf|leverancier\w*|dienst\w*|aanbieder\w*|team|support|helpdesk|meekijken|techniek|typewerk|"
    r"uitgewerkt|staan|werkt|werken|inlogg\w*|analyse\w*|geanalyseerd|plaatsvindt|plaatsvinden|gebeurt|"
    r"uitgevoerd|overgenomen|neemt"
    # "het platform wordt onderhouden door een ontwikkelbureau in Novi Sad (Servië) dat … inlogt"
    r"|onderhouden|onderhoudt|inlogt)\b"
)
#: ... that does not say that nothing goes there ("geeft geen gegevens door naar landen buiten de EER").
_NO_TRANSFER = re.compile(
    r"\b(?:geen|niet|nooit)\b(?:\s+\S+){0,8}\s+(?:door|doorgegeven|doorgifte|buiten)\b"
    r"|\b(?:doorgifte|doorgegeven)\b(?:\s+\S+){0,6}\s+(?:niet|geen)\b"
)


_COMPANY_FORM = re.compile(rf"(?<![\w]){_LEGAL_FORM}(?![\w])")
_SUPPLIER_LIST = re.compile(r"leverancier|verwerker|partner|systemen|dienstverlener|contracten")


#: A passage that lists subprocessors (folded).
_SUBPROCESSORS = re.compile(r"\bsub-?verwerkers\b")


def _supplier_row(row: str, passage: DocumentPassage) -> bool:
    """Whether a table row is about a supplier: a company name in it, or a supplier list as its document."""
    return bool(_COMPANY_FORM.search(row) or _SUPPLIER_LIST.search(fold(passage.document)))


#: People in that place who reach the data themselves ("werkt vanuit Kaapstad", "loggen in op onze
#: servers", "zien de klantgegevens"): remote access is a transfer wherever the servers stand, so the
#: client's own "volgens ons geen doorgifte" does not take it away.
_REMOTE_ACCESS = re.compile(
    r"\b(?:vanuit|inlogg\w*|inlogt|loggen in|logt in|op afstand|meekijk\w*|kijken mee|zien|beluister\w*|"
    r"overgenomen)\b"
)
#: Nationalities in :data:`_FOREIGN` → the country they place a provider in.
_NATIONALITY = {"amerikaans": "verenigde staten", "zuid-afrikaans": "zuid-afrika", "indiaas": "india"}
_ADEQUATE_NEAR = frozenset({"verenigd koninkrijk", "engeland", "zwitserland"})


def described_foreign_processing(passages: list[DocumentPassage]) -> list[tuple[DocumentPassage, str]]:
    """Sentences that describe processing by or at a provider outside the EEA without naming a known
    service (those are :func:`service_mentions`)."""
    return [(passage, sentence) for passage, sentence, _ in _described_places(passages)]


def _described_places(passages: list[DocumentPassage]) -> list[tuple[DocumentPassage, str, set[str]]]:
    """:func:`described_foreign_processing` with the countries outside the EEA each sentence places the
    processing in (empty when it says only "een Amerikaans bedrijf" without a country it names)."""
    found = []
    for passage in passages:
        subprocessor_list = _SUBPROCESSORS.search(fold(passage.text)) is not None
        for sentence in sentences(passage.text):
            folded = plain_words(sentence)
            third = places_in(sentence) - EEA_COUNTRIES - _ADEQUATE_NEAR
            # a row of a supplier table with a place outside the EEA ("MailPeak Inc. | Atlanta, Verenigde
            # Staten | nieuwsbrief") says where that supplier processes, without a verb
            row = sentence.count("|") >= 2 and bool(third) and _supplier_row(sentence, passage)
            # a list of subprocessors laid out in columns ("Vocalis Speech Inc. Verenigde Staten
            # spraakherkenning"): the text loses the columns, the company's name keeps the row
            row = row or (bool(third) and subprocessor_list and _COMPANY_FORM.search(sentence) is not None)
            if not (_FOREIGN.search(folded) or third) or not (row or _PROCESSING_PLACE.search(folded)):
                continue
            remote = bool(third) and _REMOTE_ACCESS.search(folded) is not None
            if not remote and (_NO_TRANSFER.search(folded) or _EU_ONLY.search(folded)):
                continue
            if mentions(sentence):
                continue
            nationalities = {
                country for word, country in _NATIONALITY.items() if re.search(rf"\b{word}\w*", folded)
            }
            found.append((passage, sentence, third | nationalities))
    return found


def described_transfer_findings(
    passages: list[DocumentPassage], register: Register | None
) -> dict[str, Finding]:
    """DGF-01/DGF-02 when the documents describe processing outside the EEA in a country the register
    records no transfer to (or any processing outside the EEA when it records none at all): where the
    data go is not known, so there is no safeguard either."""
    if register is None:
        return {}
    recorded = {country_key(place) for place in register.places_outside_eea()}
    described: list[tuple[DocumentPassage, str]] = []
    unrecorded: list[str] = []  # the countries the register lacks, when it records others
    for passage, sentence, places in _described_places(passages):
        lacking = {country_key(p) for p in places} - recorded
        if not recorded or (places and lacking):
            described.append((passage, sentence))
            unrecorded += sorted(lacking) if recorded else []
    if not described:
        return {}
    quote = clip(described[0][1])
    # the register may well record transfers, only not to this country: say which one it lacks
    lacks = (
        "geen doorgifte naar "
        + " of ".join(country_phrase(c.title()) for c in dict.fromkeys(unrecorded))
        + " vastlegt"
        if unrecorded
        else "geen doorgifte vastlegt"
    )
    findings = {
        "DGF-01": Finding(
            STATUS_PARTIAL,
            f"De documenten beschrijven verwerking buiten de EER („{quote}”), terwijl het register {lacks}. "
            "Ga na waar de gegevens worden verwerkt en leg de doorgifte vast.",
            described[:2],
            [],
        )
    }
    # the safeguard may follow the row that names the place ("Voor Vocalis Speech Inc. geldt een overeenkomst
    # met de standaardcontractbepalingen"): the passage counts
    if not any(_SAFEGUARD.search(plain_words(passage.text)) for passage, _ in described):
        findings["DGF-02"] = Finding(
            STATUS_FAILS,
            f"Voor de verwerking buiten de EER die de documenten beschrijven („{quote}”) is geen waarborg "
            "vastgelegd (de doorgifte zelf is niet onderkend).",
            described[:2],
            [],
        )
    return findings


#: A data breach in a processing agreement ...
_BREACH = re.compile(r"\b(?:datalek\w*|inbreuk\w*|beveiligingsincident\w*|incident\w*)\b")
#: ... with a concrete term to report it ("binnen 24 uur", "binnen twee werkdagen"; not "zonder onredelijke
#: vertraging", not "zo snel mogelijk").
_CONCRETE_TERM = re.compile(
    r"\bbinnen\s+(?:\d+|een|twee|drie|vier|vijf|vierentwintig|achtenveertig|tweeenzeventig)\s+"
    r"(?:uur|werkdag\w*|dag\w*|kalenderdag\w*)\b"
)


#: The client's sentence speaks of every agreement or every processor: "alle verwerkersovereenkomsten",
#: "onze verwerkers zijn in de verwerkersovereenkomst verplicht", "de overige verwerkers binnen 48 uur" (not
#: "in de verwerkersovereenkomsten staat dat zij … (Vectis) of … (Appotheek)": that names two of them).
_ALL_AGREEMENTS = re.compile(
    r"\b(?:alle|elke|iedere)\s+(?:\w+\s+)?verwerkersovereenkomst\w*"
    r"|^(?:onze\s+|de\s+|alle\s+)?verwerkers\s+(?:zijn|worden)\b(?:(?!\b(?:niet|geen)\b).){0,80}\bverplicht"
    r"|\b(?:overige|andere|alle\s+andere)\s+verwerkers\b"
)


def breach_term_findings(
    passages: list[DocumentPassage],
    register: Register | None,
    agreements: dict[str, Evidence | None],
    retired: Sequence[str] = (),
) -> dict[str, Finding]:
    """LEK-04 when not every processor's agreement shows a concrete term for reporting a data breach.

    The question asks for the term "in elke verwerkersovereenkomst": the whole document in which the
    agreement with each of the register's processors was found is read; a processor without an agreement
    in the documents, or whose agreement names no concrete term, makes it *voldoet deels*. When the client
    states the term for all its agreements ("alle verwerkersovereenkomsten bevatten … binnen 24 uur"), only
    the agreements shown are read (a missing one is VWK-01's gap); so when the client names the processor in
    its own record of the terms ("StaffPilot en NetVeilig moeten een datalek … binnen 48 uur melden").
    ``retired``: processors the documents say are no longer used. With fewer than two processors the judge
    reads the one agreement as the evidence itself.
    """
    names = (
        [r.name for a in register.own_processing().activities for r in a.recipients if r.kind == PROCESSOR]
        if register is not None
        else list(agreements)
    )
    names = [n for n in dict.fromkeys(names) if n in agreements and n not in retired]
    if len(names) < 2:
        return {}
    with_term = [f for p in passages for f in map(plain_words, sentences(p.text)) if _BREACH.search(f)]
    with_term = [f for f in with_term if _CONCRETE_TERM.search(f)]
    # "Alle verwerkersovereenkomsten bevatten de verplichting om een datalek … binnen 24 uur te melden":
    # the client states the term for every agreement; one not in the dossier is VWK-01's question
    stated_for_all = any(
        _ALL_AGREEMENTS.search(f) and _BREACH.search(f) and _CONCRETE_TERM.search(f)
        for p in passages
        for f in map(plain_words, sentences(p.text))
    )
    lacking = []
    for name in names:
        agreement = agreements[name]
        shown = agreement is not None and is_processing_agreement(agreement.document)
        if not shown and (stated_for_all or _named_in(name, with_term)):
            continue  # only a processing agreement itself can show it lacks the term
        text = [
            plain_words(s)
            for p in passages
            if agreement and p.document == agreement.document
            for s in sentences(p.text)
        ]
        if not any(_BREACH.search(f) and _CONCRETE_TERM.search(f) for f in text):
            lacking.append(name)
    if not lacking:
        return {}
    reason = (
        "Niet in elke verwerkersovereenkomst is een concrete termijn gezien waarbinnen de verwerker een "
        f"datalek meldt: niet bij {', '.join(lacking)}."
    )
    return {"LEK-04": Finding(STATUS_PARTIAL, reason, [], lacking)}


def _named_in(processor: str, folded_sentences: list[str]) -> bool:
    """Whether one of the sentences names the processor (the first word of its name without legal form)."""
    key = company_key(processor).split()
    return (
        bool(key)
        and len(key[0]) >= 3
        and any(re.search(rf"\b{re.escape(key[0])}\b", f) for f in folded_sentences)
    )


# --- processors named in the documents ----------------------------------------------------------------


def _company_name(raw: str) -> str:
    words = raw.split()
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    return " ".join(words)


def _table_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def named_processors(passages: list[DocumentPassage], own_names: list[str]) -> list[NamedProcessor]:
    """Companies the documents name as working for the client (legal form + context, supplier tables)."""
    own = [company_key(n) for n in own_names if company_key(n)]
    found: dict[str, NamedProcessor] = {}

    def add(name: str, passage: DocumentPassage, sentence: str, service: Service | None = None) -> None:
        key = company_key(name)
        if len(key) < 3 or any(key in o or o in key for o in own) or key in found:
            return
        found[key] = NamedProcessor(name, passage, sentence, service)

    for passage in passages:
        supplier_column = False
        in_table = False
        for line in passage.text.splitlines():
            if line.count("|") >= 2:
                cells = _table_cells(line)
                first_row, in_table = not in_table, True
                if (
                    first_row  # a header; "Incident bij verwerker (…)" in a row of counts is no header
                    and cells
                    and _SUPPLIER_HEADER.search(plain_words(cells[0]))
                    and not _SUBPROCESSOR.search(plain_words(line))
                ):
                    supplier_column = True
                    continue
                row = plain_words(line)
                if (
                    supplier_column
                    and cells
                    and not set(cells[0]) <= set("-: ")
                    and not (_NOT_APPLICABLE.search(fold(line)) or _OWN_CONTROLLER.search(row))
                ):
                    add(re.sub(r"\s*\(.*?\)", "", cells[0]).strip(), passage, " ".join(line.split()))
                continue
            supplier_column = in_table = False
        for sentence in sentences(passage.text):
            if sentence.count("|") >= 2:
                continue
            folded = plain_words(sentence)
            if _OWN_CONTROLLER.search(folded) or _SUBPROCESSOR.search(folded):
                continue
            if _PROCESSOR_CONTEXT.search(folded):
                for match in _COMPANY.finditer(sentence):
                    name = _company_name(match.group(0))
                    if name and not re.fullmatch(_LEGAL_FORM, name):
                        add(name, passage, sentence)
            for mention in mentions(sentence):
                if mention.transfer:
                    service = mention.service
                    add(f"{service.company} ({service.name})", passage, sentence, service)
    return list(found.values())


def in_register(processor: NamedProcessor, register: Register) -> bool:
    """True when a recipient or transfer of the register names the company."""
    names = [r.name for a in register.activities for r in a.recipients]
    names += [t.recipient for a in register.activities for t in a.transfers]
    if processor.service is not None:
        return any(names_service(n, processor.service) for n in names)
    key = company_key(processor.name)
    first = key.split()[0] if key.split() else ""
    for name in names:
        other = company_key(name)
        if key and (key in other or (other and other in key)):
            return True
        if len(first) >= 4 and first in other.split():
            return True
    return False


def activity_of(processor: NamedProcessor, register: Register, client: str) -> str:
    """The register activity the passage is about (its distinctive words in the title or sentence)."""
    context = plain_words(f"{processor.passage.document} {processor.sentence}")
    common = set(plain_words(f"{client} {register.controller.name}").split())
    best, best_words = "", 0
    for activity in register.activities:
        words = [w for w in plain_words(activity.name).split() if len(w) >= 3 and w not in common]
        if words and all(re.search(rf"\b{re.escape(w)}", context) for w in words) and len(words) > best_words:
            best, best_words = activity.name, len(words)
    return best


def processor_findings(
    passages: list[DocumentPassage],
    register: Register | None,
    agreements: dict[str, Evidence | None],
    client: str,
) -> dict[str, Finding]:
    """REG-02 (named but not in the register) and VWK-01 (named without an agreement)."""
    own = [client, register.controller.name] if register is not None else [client]
    processors = named_processors(passages, own)
    findings: dict[str, Finding] = {}
    if register is not None:
        missing = [p for p in processors if not in_register(p, register)]
        if missing:
            parts = []
            for p in missing:
                activity = activity_of(p, register, client)
                where = f"bij verwerking '{activity}'" if activity else "bij geen verwerking"
                parts.append(f"{p.name} (genoemd in {p.passage.document}; {where})")
            findings["REG-02"] = Finding(
                STATUS_PARTIAL,
                "De documenten noemen leveranciers die niet als ontvanger in het register staan: "
                + "; ".join(parts)
                + ". Ga na of zij verwerker zijn en vul de ontvangers aan.",
                [(p.passage, p.sentence) for p in missing],
                [p.name for p in missing],
            )
            # A supplier the documents tie to an activity of the register, missing from that activity:
            # the register was not brought up to date when the supplier came in.
            stale = [(p, a) for p in missing if (a := activity_of(p, register, client))]
            if stale:
                findings["REG-03"] = Finding(
                    STATUS_PARTIAL,
                    "Het register is niet bijgewerkt: de documenten noemen bij een verwerking een "
                    "leverancier "
                    "die daar niet als ontvanger staat: "
                    + "; ".join(f"{p.name} bij '{a}' (genoemd in {p.passage.document})" for p, a in stale)
                    + ".",
                    [(p.passage, p.sentence) for p, _ in stale],
                    [a for _, a in stale],
                )
    register_processors = (
        {company_key(r.name) for a in register.activities for r in a.recipients}
        if register is not None
        else set()
    )
    without = [
        p
        for p in processors
        if p.service is None
        and company_key(p.name) not in register_processors
        and agreements.get(p.name) is None
    ]
    if without:
        findings["VWK-01"] = Finding(
            STATUS_PARTIAL,
            "De documenten noemen leveranciers zonder verwerkersovereenkomst in de documenten: "
            + "; ".join(f"{p.name} (genoemd in {p.passage.document})" for p in without)
            + ". Ga na of zij verwerker zijn en of er een overeenkomst is.",
            [(p.passage, p.sentence) for p in without],
            [p.name for p in without],
        )
    return findings


def document_processors(passages: list[DocumentPassage], register: Register | None, client: str) -> list[str]:
    """Names of processors named only in the documents (to look up their agreements)."""
    own = [client, register.controller.name] if register is not None else [client]
    return [p.name for p in named_processors(passages, own) if p.service is None]


# --- vague retention ----------------------------------------------------------------------------------


def vague_retention(passages: list[DocumentPassage], register: Register | None) -> list[tuple[str, str]]:
    """(category or activity, the vague term) from the register and from retention tables."""
    found: list[tuple[str, str]] = []
    if register is not None:
        for activity in register.activities:
            for part in re.split(r"[;,]", activity.retention):
                if _VAGUE.search(plain_words(part)):
                    found.append((activity.name, " ".join(part.split())))
    for passage in passages:
        if "bewaar" not in fold(passage.text) and not _VAGUE.search(fold(passage.text)):
            continue
        if not (is_processing_agreement(passage.document) or is_privacy_statement(passage.document)):
            found += _vague_sentences(passage.text)
        for line in passage.text.splitlines():
            if line.count("|") < 2:
                continue
            cells = _table_cells(line)
            for index, cell in enumerate(cells[1:], start=1):
                if _VAGUE.search(plain_words(cell)) and (category := _row_category(cells, index)):
                    found.append((category, cell))
    return list(dict.fromkeys(found))


#: A term in the same sentence ("niet langer dan nodig, en uiterlijk 2 jaar") makes it concrete.
_TERM = re.compile(
    r"\b(?:\d+|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf)\s*"
    r"(?:dag|dagen|week|weken|maand|maanden|jaar|jaren)\b"
)
#: The kind of data a vague sentence is about: "gegevens van vrijwilligers bewaren we …", "voor
#: incassodossiers geldt …", "foto's van activiteiten: niet langer dan nodig", "leerlingdossiers bewaren
#: wij …".
_VAGUE_ABOUT = (
    re.compile(r"\b((?:persoons)?gegevens van [a-z' -]{3,40}?) (?:bewaren|worden|wordt)\b"),
    re.compile(r"\bvoor ([a-z' -]{3,40}?) geldt\b"),
    re.compile(r"^\W*([a-z][^:|]{2,80}?)\s*:\s*(?=.*(?:niet langer|zo ?lang))"),
    re.compile(
        r"^\W*(?:voor )?([a-z][\w' -]{2,60}?) (?:bewaren|bewaart|worden|wordt) (?:wij |we |ik )?niet langer"
    ),
)
#: Not a kind of data: the organisation, a pronoun, personal data in general, a heading word.
_GENERAL_SUBJECT = re.compile(
    r"^(?:wij|we|ik|zij|ze|het|dit|dat|(?:alle |uw |je |jouw |de |onze |deze |die )?(?:persoons)?gegevens"
    r"|uitgangspunt\w*|bewaartermijn\w*|bewaren|beleid|algemeen|principe\w*|regel|let op)$"
)


def _vague_sentences(text: str) -> list[tuple[str, str]]:
    """(kind of data, vague term) from sentences that give one kind of data only a vague term."""
    found = []
    for sentence in sentences(text):
        if sentence.count("|") >= 2:
            continue  # a table row: read by its cells
        words = fold(sentence)
        vague = _VAGUE.search(words)
        if vague is None or _TERM.search(words):
            continue
        for pattern in _VAGUE_ABOUT:
            about = pattern.search(words)
            kind = about.group(1).strip(" -*") if about else ""
            if kind and not _GENERAL_SUBJECT.match(kind):
                found.append((kind[:1].upper() + kind[1:], vague.group(0)))
                break
    return found


def _row_category(cells: list[str], index: int) -> str:
    """The category of the row whose cell ``index`` holds a term.

    A table whose lines were joined (text from a PDF) has the previous row's last cell and this row's
    category in one cell: the category then starts at the last word with a capital.
    """
    previous = cells[index - 1]
    if index == 1 and len(cells) <= 5:
        return previous
    words = previous.split()
    starts = [i for i, w in enumerate(words) if w[:1].isupper()]
    return " ".join(words[starts[-1] :] if starts else words[-3:])


def retention_findings(passages: list[DocumentPassage], register: Register | None) -> dict[str, Finding]:
    """BWT-01 and REG-02: categories whose term is vague."""
    vague = vague_retention(passages, register)
    if not vague:
        return {}
    named = "; ".join(f"{what}: „{term}”" for what, term in vague)
    findings = {
        "BWT-01": Finding(
            STATUS_PARTIAL,
            f"Voor sommige categorieën is de bewaartermijn vaag, geen vaste termijn: {named}.",
            [],
            [what for what, _ in vague],
        )
    }
    in_register_only = [
        (w, t) for w, t in vague if register is not None and any(a.name == w for a in register.activities)
    ]
    if in_register_only:
        findings["REG-02"] = Finding(
            STATUS_PARTIAL,
            "In het register is de bewaartermijn vaag bij: "
            + "; ".join(f"{w} („{t}”)" for w, t in in_register_only)
            + ".",
            [],
            [w for w, _ in in_register_only],
        )
    return findings


#: Camera footage in a sentence (folded): the images, the recorder that keeps them, the camera itself (not
#: "opnamen" alone: recorded telephone calls are no camera footage).
_FOOTAGE = re.compile(r"\b(?:camerabeelden|videobeelden|beelden|recorder|nvr)\b|\bcamera")
_CAMERA = re.compile(r"\bcamera\w*|\bcameratoezicht\b|\brecorder\b")
#: Footage kept for an incident, a report to the police or an investigation may be kept longer.
_INCIDENT_HOLD = re.compile(r"\b(?:incident\w*|aangifte\w*|politie|onderzoek\w*|verzoek\w*|klacht\w*)\b")
#: The term the Autoriteit Persoonsgegevens holds for camera footage as a rule: four weeks.
FOOTAGE_DAYS = 28


def camera_retention_findings(passages: list[DocumentPassage]) -> dict[str, Finding]:
    """CAM-01 when the documents keep camera footage longer than four weeks without an incident ("de
    recorder overschrijft de oudste beelden pas als de schijf vol is, nu ongeveer na zestig dagen"): the
    AP holds four weeks as the rule, longer needs a reason the policy gives (art. 5 lid 1 sub e AVG)."""
    found: list[tuple[DocumentPassage, str]] = []
    for passage in passages:
        if not _CAMERA.search(fold(passage.text)):
            continue
        for sentence in sentences(passage.text):
            folded = fold(sentence)
            if not _FOOTAGE.search(folded) or _INCIDENT_HOLD.search(folded):
                continue
            if any(days > FOOTAGE_DAYS for days in durations(sentence)):
                found.append((passage, sentence))
    if not found:
        return {}
    return {
        "CAM-01": Finding(
            STATUS_PARTIAL,
            f"Camerabeelden worden langer dan vier weken bewaard („{clip(found[0][1])}”); de Autoriteit "
            "Persoonsgegevens houdt in de regel vier weken aan. Leg vast waarom langer nodig is, of kort de "
            "termijn in.",
            found[:2],
            [],
        )
    }


# --- applying the findings ----------------------------------------------------------------------------

_SEVERITY = {STATUS_FAILS: 0, STATUS_PARTIAL: 1}


def register_conflict_findings(
    conflicts: Sequence[Conflict], passages: Sequence[DocumentPassage] = ()
) -> dict[str, Finding]:
    """REG-02 when the documents contradict the register's retention period, legal basis or recipients
    (:mod:`assistant.features.privacy.register_conflicts`): the register is not complete and correct; GRS-01
    too when the recorded legal basis is contradicted (a legal duty recorded as legitimate interest), BWT-01
    when a retention period is (which term applies is not settled), REG-03 when it still names a recipient
    that is no longer used (it was not kept up to date). Each finding shows
    the document sentences it rests on as evidence, with document and page (:func:`conflict_passage`)."""
    if not conflicts:
        return {}

    def quoted(chosen: Sequence[Conflict]) -> list[tuple[DocumentPassage, str]]:
        return [(conflict_passage(c, passages), c.quote) for c in chosen if c.quote]

    def finding(intro: str, chosen: Sequence[Conflict]) -> Finding:
        reason = intro + "; ".join(f"'{c.activity}': {c.message()}" for c in chosen)
        return Finding(
            STATUS_PARTIAL, reason, quoted(chosen), list(dict.fromkeys(c.activity for c in chosen))
        )

    found = {"REG-02": finding("Het register wijkt af van de documenten: ", conflicts)}
    bases = [c for c in conflicts if c.field == FIELD_BASIS]
    if bases:
        found["GRS-01"] = finding("De vastgelegde grondslag klopt niet met de documenten: ", bases)
    terms = [c for c in conflicts if c.field == FIELD_RETENTION]
    if terms:
        # "het medicatiedossier bewaren wij 15 jaar" in the schedule the yearly clean-up follows, 20 years in
        # the register: which term applies is not settled
        found["BWT-01"] = finding(
            "De bewaartermijn in het register verschilt van die in de documenten: ", terms
        )
    retired = [c for c in conflicts if c.field == FIELD_RECIPIENTS]
    if retired:
        found["REG-03"] = Finding(
            STATUS_PARTIAL,
            "Het register is niet bijgewerkt: het noemt nog "
            + "; ".join(
                f"{c.register_value} ('{c.activity}'), volgens {c.where} niet meer in gebruik"
                for c in retired
            )
            + ".",
            quoted(retired),
            list(dict.fromkeys(c.activity for c in retired)),
        )
    return found


def conflict_passage(conflict: Conflict, passages: Sequence[DocumentPassage]) -> DocumentPassage:
    """The passage a conflict's sentence comes from (same document and page, holding the sentence), so the
    evidence links to its chunk; a passage of just that sentence when none is found (a table row whose
    cells were joined)."""
    wanted = " ".join(conflict.quote.split())
    same_page = [p for p in passages if p.document == conflict.document and p.page == conflict.page]
    holding = next((p for p in same_page if wanted and wanted in " ".join(p.text.split())), None)
    return holding or DocumentPassage(conflict.document, conflict.quote, page=conflict.page)


#: A register the organisation says it last brought up to date longer ago than this is not shown to be
#: kept current (REG-03): the AVG expects it to follow every new system and process, and a yearly review
#: is the least a consultant accepts.
STALE_REGISTER_DAYS = 365
_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip


def register_date(text: str) -> date | None:
    """The date a register's "laatst bijgewerkt" names: "2024-03-12", "12-03-2024", "12 maart 2024",
    "maart 2024" (its first day); None when it names none."""
    folded = fold(text)
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", folded)
    dutch = re.search(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b", folded)
    named = re.search(rf"\b(?:(\d{{1,2}})\s+)?({'|'.join(_MONTHS)})\s+(\d{{4}})\b", folded)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dutch:
            return date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
        if named:
            return date(int(named[3]), _MONTHS[named[2]], int(named[1] or 1))
    except ValueError:
        return None
    return None


def register_date_findings(register: Register | None, today: date | None) -> dict[str, Finding]:
    """REG-03 when the organisation says its register was last brought up to date more than a year before
    the check (``today``; None: the current date)."""
    if register is None or not register.controller.register_updated:
        return {}
    updated = register_date(register.controller.register_updated)
    reference = today or date.today()
    if updated is None or (reference - updated).days <= STALE_REGISTER_DAYS:
        return {}
    when, then = updated.strftime("%d-%m-%Y"), reference.strftime("%d-%m-%Y")
    reason = (
        f"Het register is volgens de organisatie voor het laatst bijgewerkt op {when}, meer dan een jaar "
        f"voor de peildatum ({then}): dat het actueel wordt gehouden is niet aangetoond. Loop het register "
        "na met de proceseigenaren en leg de datum vast."
    )
    return {"REG-03": Finding(STATUS_PARTIAL, reason, [], [])}


#: The Autoriteit Persoonsgegevens' yardstick for care providers: more than 10,000 patients a year in one
#: information system is processing health data on a large scale (art. 37 lid 1 sub c AVG: an FG is required).
LARGE_SCALE_PATIENTS = 10_000
_PATIENT_COUNT = re.compile(
    r"\b(?P<n>\d{1,3}(?:[.\s]\d{3})+|\d{5,})\s+(?:\w+\s+){0,2}?"
    r"(?:patienten|clienten|zorgvragers|zwangeren|bewoners)\b"  # on folded text: "patiënten" → "patienten"
)


def health_scale_findings(passages: list[DocumentPassage], register: Register | None) -> dict[str, Finding]:
    """FG-03 *voldoet niet* when the register records health data, names no FG, and a document counts more
    than :data:`LARGE_SCALE_PATIENTS` patients or clients ("ruim 17.800 patiënten")."""
    if register is None or register.controller.has_fg:
        return {}
    if not any(is_health(a) for a in register.own_processing().activities if a.special_categories):
        return {}
    for passage in passages:
        for sentence in sentences(passage.text):
            match = _PATIENT_COUNT.search(fold(sentence))
            if match is None or int(re.sub(r"\D", "", match["n"])) <= LARGE_SCALE_PATIENTS:
                continue
            reason = (
                f"De documenten noemen meer dan 10.000 patiënten of cliënten („{clip(sentence, 160)}”, "
                f"{passage.document}); de AP ziet een zorgaanbieder met meer dan 10.000 patiënten per jaar "
                "in één informatiesysteem als grootschalige verwerking van gezondheidsgegevens. Dan is een "
                "FG verplicht (art. 37 lid 1 sub c AVG) en het register noemt er geen."
            )
            return {"FG-03": Finding(STATUS_FAILS, reason, [(passage, sentence)], [])}
    return {}


def automated_decision_findings(
    passages: list[DocumentPassage], register: Register | None
) -> dict[str, Finding]:
    """ADM-01 *voldoet deels* when a document (not the privacy statement) describes an automatic decision
    about a person (:func:`.automated_decisions.described_automated_decisions`) and the register records no
    automated decision for any activity: the register's silence is then no reason for "niet van
    toepassing" (art. 22 AVG; a consultant asks about human intervention, explanation and objection)."""
    if register is None or any(yes_or_no(a.automated_decisions) == YES for a in register.activities):
        return {}
    found = described_automated_decisions(passages)
    if not found:
        return {}
    passage, sentence = found[0]
    reason = (
        f"De documenten beschrijven een automatisch besluit over personen („{clip(sentence, 160)}”, "
        f"{passage.document}), maar het register legt geen geautomatiseerde besluitvorming vast. Ga na of "
        "art. 22 AVG van toepassing is en of er menselijke tussenkomst, uitleg en bezwaar mogelijk zijn."
    )
    return {"ADM-01": Finding(STATUS_PARTIAL, reason, found[:2], [])}


def all_findings(
    passages: list[DocumentPassage],
    register: Register | None,
    agreements: dict[str, Evidence | None],
    client: str,
    conflicts: Sequence[Conflict] = (),
    today: date | None = None,
) -> dict[str, list[Finding]]:
    """Every cross-check finding per question id (``conflicts``: the register's conflicts with the
    documents, :func:`assistant.features.privacy.register_conflicts.find_conflicts`; ``today``: the
    check's reference date, None for the current date)."""
    result: dict[str, list[Finding]] = {}
    transfers = named_transfers(passages, register)
    sources: list[Callable[[], dict[str, Finding]]] = [
        lambda: transfer_findings(passages, register, transfers),
        lambda: described_transfer_findings(passages, register),
        lambda: unnoticed_transfer_findings(passages, register, transfers),
        lambda: breach_term_findings(passages, register, agreements, retired_recipients(conflicts)),
        lambda: processor_findings(passages, register, agreements, client),
        lambda: retention_findings(passages, register),
        lambda: register_conflict_findings(conflicts, passages),
        lambda: register_date_findings(register, today),
        lambda: health_scale_findings(passages, register),
        lambda: automated_decision_findings(passages, register),
        lambda: camera_retention_findings(passages),
    ]
    for source in sources:
        for question_id, finding in source().items():
            result.setdefault(question_id, []).append(finding)
    return result


def apply_findings(
    question: ChecklistQuestion, answer: CheckAnswer, findings: list[Finding], client: str
) -> CheckAnswer:
    """The answer made stricter by the findings (never lifted), naming them in the rationale."""
    if not findings:
        return answer
    worst = min(findings, key=lambda f: _SEVERITY.get(f.status, 2))
    status = answer.status
    if _SEVERITY.get(worst.status, 2) < _SEVERITY.get(answer.status, 2):
        status = worst.status
    evidence = [
        _evidence(passage, sentence, client) for f in findings for passage, sentence in f.passages[:2]
    ]
    reasons = " ".join(f.reason for f in findings)
    changed = status != answer.status
    rationale = (
        f"{reasons} (Vergeleken met register en bekende diensten.) Eerder voorstel: {answer.status}. "
        f"{answer.rationale}"
        if changed
        else f"{answer.rationale} Ook: {reasons}"
    )
    subjects = list(dict.fromkeys([*answer.subjects, *(s for f in findings for s in f.subjects)]))
    return replace(
        answer,
        status=status,
        label=LABEL_CROSS_CHECK if changed else answer.label,
        rationale=rationale,
        evidence=[*evidence, *answer.evidence] if changed else [*answer.evidence, *evidence],
        subjects=subjects,
    )


def _evidence(passage: DocumentPassage, sentence: str, client: str) -> Evidence:
    return Evidence(
        document=passage.document,
        page=passage.page,
        citation=passage.citation or passage.document,
        quote=clip(sentence, 400),
        chunk_id=passage.chunk_id,
        score=1.0,
        scope=client_scope(client),
        passage=passage.text,
    )
