"""The verwerkingsregister (art. 30 AVG) as typed dataclasses, with Dutch validation.

The file formats (YAML, CSV, XLSX) and the SQLite store all use one dictionary shape with
Dutch keys (:meth:`Register.to_dict` / :meth:`Register.from_dict`), so a consultant reads the
same words everywhere. A register may be incomplete (a missing retention period is a warning,
reported again by the completeness check); only data that cannot be right is refused
(an unknown legal basis, two activities with one name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.features.privacy.countries import in_eea, unknown_place
from assistant.features.privacy.durations import durations
from assistant.features.privacy.errors import RegisterError
from ingestion.errors import ScopeError
from knowledge.scopes import client_scope
from knowledge.text_analysis import fold

#: Art. 6 lid 1 AVG: letter → short Dutch label (as it appears in the privacyverklaring).
LEGAL_BASES: dict[str, str] = {
    "a": "toestemming",
    "b": "uitvoering van een overeenkomst",
    "c": "wettelijke verplichting",
    "d": "vitaal belang",
    "e": "taak van algemeen belang",
    "f": "gerechtvaardigd belang",
}
#: Art. 9 lid 2 AVG: letter → short Dutch label of the exception.
ART9_EXCEPTIONS: dict[str, str] = {
    "a": "uitdrukkelijke toestemming",
    "b": "arbeidsrecht en sociale zekerheid",
    "c": "vitaal belang",
    "d": "stichting of vereniging zonder winstoogmerk",
    "e": "door de betrokkene zelf openbaar gemaakt",
    "f": "rechtsvordering",
    "g": "zwaarwegend algemeen belang",
    "h": "gezondheidszorg en arbeidsgeneeskunde",
    "i": "volksgezondheid",
    "j": "archivering, onderzoek of statistiek",
}
#: The kind of a recipient that processes on the client's behalf (art. 28 AVG).
PROCESSOR = "verwerker"
RECIPIENT_KINDS: tuple[str, ...] = (PROCESSOR, "ontvanger")
YES, NO = "ja", "nee"
_NEGATIVE = re.compile(r"^(nee|neen|geen|niet|no|false|n\.?v\.?t\.?|niet van toepassing)\b")
LIST_SEPARATOR = "; "

_BASIS = re.compile(r"^\s*(?:art(?:ikel)?\.?\s*\d\s*(?:lid\s*\d\s*)?(?:sub\s*)?)?([a-j])(?![a-z])", re.I)
#: An art. 9(2) exception cited inside a description: "gezondheidsgegevens; uitzondering art. 9 lid 2 sub h".
_ART9_CITED = re.compile(r"\bart(?:ikel)?\.?\s*9\s*(?:lid\s*)?2\s*(?:sub|onder)?\s*\(?([a-j])\b", re.I)


@dataclass
class SourceRef:
    """A passage in a client document that a register entry rests on."""

    document: str
    page: int = -1
    quote: str = ""
    section: str = ""
    doc_id: str = ""
    content_hash: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The Dutch-keyed dictionary form."""
        return {
            "document": self.document,
            "pagina": self.page,
            "citaat": self.quote,
            "kop": self.section,
            "document_id": self.doc_id,
            "inhoud_hash": self.content_hash,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceRef:
        """Read the Dutch-keyed form."""
        return cls(
            document=_text(data.get("document")),
            page=int(data.get("pagina", -1) if data.get("pagina") not in (None, "") else -1),
            quote=_text(data.get("citaat")),
            section=_text(data.get("kop")),
            doc_id=_text(data.get("document_id")),
            content_hash=_text(data.get("inhoud_hash")),
        )

    def label(self) -> str:
        """ "Document, p. 3" for display."""
        return self.document + (f", p. {self.page}" if self.page > 0 else "")


@dataclass
class Recipient:
    """A recipient of personal data; ``country`` is "" when it is in the EEA."""

    name: str
    kind: str = "verwerker"
    country: str = ""
    #: A kind written in an imported register that is neither processor nor recipient ("aannemer"):
    #: read as recipient, and validation asks the consultant to check it (not stored: the name keeps it).
    unrecognised_kind: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The Dutch-keyed dictionary form."""
        return {"naam": self.name, "soort": self.kind, "land": self.country}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recipient:
        """Read the Dutch-keyed form; a hand-written kind is read as one of :data:`RECIPIENT_KINDS`.

        Registers kept by hand write "subverwerker" or "ontvanger (alleen bij een melding)": the
        first is a processor in the chain, the second a recipient whose remark is kept with its name.
        Any other word ("aannemer", "leverancier") is read as a recipient with that word kept with its
        name, and validation warns that it may be a processor: one unusual cell does not stop the import.
        """
        name, written = _text(data.get("naam")), _text(data.get("soort")) or "verwerker"
        kind, remark = recipient_kind(written)
        unrecognised = ""
        if kind not in RECIPIENT_KINDS:
            kind, remark, unrecognised = "ontvanger", written, written
        if remark and remark not in name:
            name = f"{name} ({remark})" if name else name
        return cls(name, kind, _text(data.get("land")), unrecognised)


_KIND_REMARK = re.compile(r"^\s*([^()]*?)\s*\((.*)\)\s*$")
_RECIPIENT_WORDS = ("ontvanger", "derde", "verwerkingsverantwoordelijke", "verantwoordelijke", "gezamenlijk")


def recipient_kind(written: str) -> tuple[str, str]:
    """(kind, remark) for a kind as written: "subverwerker" → verwerker; "ontvanger (…)" → ontvanger
    with the remark; an unknown kind stays as written (validation names it)."""
    match = _KIND_REMARK.match(written)
    base, remark = (match.group(1), match.group(2).strip()) if match else (written, "")
    folded = fold(base).strip()
    if folded in RECIPIENT_KINDS:
        return folded, remark
    if folded.replace("-", "").replace(" ", "") in ("subverwerker", "subverwerkers", "verwerkers"):
        return "verwerker", remark
    if any(folded.startswith(word) for word in _RECIPIENT_WORDS):
        return "ontvanger", remark
    return written, ""


#: Transfer mechanisms the Court of Justice struck down: Safe Harbor (C-362/14 *Schrems*, 2015) and the
#: EU-US Privacy Shield (C-311/18 *Schrems II*, 16 July 2020). A transfer that still rests on one has no
#: safeguard; the EU-US Data Privacy Framework (2023) needs the recipient's own certification.
INVALID_SAFEGUARD = re.compile(r"privacy[\s-]*shield|safe[\s-]*harbou?r", re.IGNORECASE)


def invalid_safeguard(text: str) -> str:
    """The struck-down mechanism a safeguard names ("Privacy Shield", "Safe Harbor"), or ""."""
    match = INVALID_SAFEGUARD.search(text)
    if match is None:
        return ""
    return "Safe Harbor" if "safe" in match.group(0).lower() else "Privacy Shield"


@dataclass
class Transfer:
    """A transfer to a country outside the EEA and the safeguard it rests on (art. 44–49 AVG)."""

    country: str
    recipient: str = ""
    safeguard: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The Dutch-keyed dictionary form."""
        return {"land": self.country, "ontvanger": self.recipient, "waarborg": self.safeguard}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transfer:
        """Read the Dutch-keyed form."""
        return cls(_text(data.get("land")), _text(data.get("ontvanger")), _text(data.get("waarborg")))


@dataclass
class Activity:
    """One processing activity of the register (art. 30 lid 1 AVG)."""

    name: str
    purpose: str = ""
    legal_basis: str = ""
    legitimate_interest: str = ""
    data_categories: list[str] = field(default_factory=list)
    special_categories: list[str] = field(default_factory=list)
    art9_exception: str = ""
    data_subjects: list[str] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    retention: str = ""
    source: str = ""
    automated_decisions: str = ""
    requirement: str = ""
    security_measures: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    balancing_test: str = ""
    dpia: str = ""
    large_scale: str = ""
    transfers_outside_eea: str = ""
    #: "verwerker" when the client carries out this activity for another controller (art. 30 lid 2 AVG);
    #: empty or "verwerkingsverantwoordelijke" for its own processing.
    role: str = ""

    @property
    def has_transfers(self) -> str:
        """ "ja" when the register records a transfer outside the EEA, "nee" when it says there is none,
        "" when it is silent (then the draft must not claim either)."""
        if self.transfers or any(not in_eea(r.country) for r in self.recipients):
            return YES
        return answer(self.transfers_outside_eea)

    @property
    def for_another_controller(self) -> bool:
        """True when the client processes on behalf of another controller (its role is "verwerker").

        Legal basis, balancing test, art. 9 exception, automated decisions and the privacy statement
        are then that controller's; the client's own privacyverklaring does not describe the activity.
        """
        return fold(self.role).strip().startswith("verwerker")

    @property
    def from_other_source(self) -> bool:
        """True when the data is not obtained from the data subject (art. 14 AVG applies)."""
        return bool(self.source.strip())

    def to_dict(self) -> dict[str, Any]:
        """The Dutch-keyed dictionary form."""
        return {
            "naam": self.name,
            "doel": self.purpose,
            "grondslag": self.legal_basis,
            "gerechtvaardigd_belang": self.legitimate_interest,
            "gegevens": list(self.data_categories),
            "bijzondere_gegevens": list(self.special_categories),
            "uitzondering_art9": self.art9_exception,
            "betrokkenen": list(self.data_subjects),
            "ontvangers": [r.to_dict() for r in self.recipients],
            "doorgiften": [t.to_dict() for t in self.transfers],
            "bewaartermijn": self.retention,
            "herkomst": self.source,
            "geautomatiseerde_besluitvorming": self.automated_decisions,
            "verplichting": self.requirement,
            "beveiliging": list(self.security_measures),
            "belangenafweging": self.balancing_test,
            "dpia": self.dpia,
            "grootschalig": self.large_scale,
            "doorgifte_buiten_eer": self.transfers_outside_eea,
            "rol": self.role,
            "bronnen": [s.to_dict() for s in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Activity:
        """Read the Dutch-keyed form; the legal basis is normalised to its letter."""
        if not isinstance(data, dict):
            raise RegisterError("Een verwerking moet een lijst van velden zijn (naam, doel, grondslag, ...).")
        name = _text(data.get("naam"))
        return cls(
            name=name,
            purpose=_text(data.get("doel")),
            legal_basis=_own_basis(data, name),
            legitimate_interest=_text(data.get("gerechtvaardigd_belang")),
            data_categories=_texts(data.get("gegevens")),
            special_categories=_texts(data.get("bijzondere_gegevens")),
            art9_exception=_own_exception(data, name)
            or cited_art9_exception(
                _texts(data.get("bijzondere_gegevens")), _text(data.get("toelichting_grondslag"))
            ),
            data_subjects=_texts(data.get("betrokkenen")),
            recipients=[
                Recipient.from_dict(_mapping(r, "ontvanger")) for r in _items(data.get("ontvangers"))
            ],
            transfers=[Transfer.from_dict(_mapping(t, "doorgifte")) for t in _items(data.get("doorgiften"))],
            retention=_text(data.get("bewaartermijn")),
            source=_text(_first(data, "herkomst", "bron")),
            automated_decisions=_text(
                _first(data, "geautomatiseerde_besluitvorming", "geautomatiseerde_besluiten")
            ),
            requirement=_text(data.get("verplichting")),
            security_measures=_texts(data.get("beveiliging")),
            sources=[SourceRef.from_dict(_mapping(s, "bron")) for s in _items(data.get("bronnen"))],
            balancing_test=_text(data.get("belangenafweging")),
            dpia=_text(data.get("dpia")),
            large_scale=_text(data.get("grootschalig")),
            transfers_outside_eea=_text(data.get("doorgifte_buiten_eer")),
            role=_text(data.get("rol")),
        )


@dataclass
class Controller:
    """The verwerkingsverantwoordelijke and its functionaris gegevensbescherming (FG)."""

    name: str
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    kvk: str = ""
    fg_name: str = ""
    fg_email: str = ""
    fg_phone: str = ""
    fg_assessment: str = ""
    #: When the organisation says it last brought its register up to date ("laatst_bijgewerkt", as the
    #: client wrote it); not changed by editing the register in the tool.
    register_updated: str = ""

    @property
    def has_fg(self) -> bool:
        """True when an FG is recorded."""
        return bool(self.fg_name or self.fg_email or self.fg_phone)

    def to_dict(self) -> dict[str, Any]:
        """The Dutch-keyed dictionary form."""
        return {
            "naam": self.name,
            "adres": self.address,
            "email": self.email,
            "telefoon": self.phone,
            "website": self.website,
            "kvk": self.kvk,
            "fg": {"naam": self.fg_name, "email": self.fg_email, "telefoon": self.fg_phone},
            "fg_beoordeling": self.fg_assessment,
            "laatst_bijgewerkt": self.register_updated,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Controller:
        """Read the Dutch-keyed form."""
        fg, fg_note = _fg_fields(data.get("fg"))
        return cls(
            name=_text(data.get("naam")),
            address=_text(data.get("adres")),
            email=_text(data.get("email")),
            phone=_text(data.get("telefoon")),
            website=_text(data.get("website")),
            kvk=_text(data.get("kvk")),
            fg_name=_text(fg.get("naam")),
            fg_email=_text(fg.get("email")),
            fg_phone=_text(fg.get("telefoon")),
            fg_assessment=_text(data.get("fg_beoordeling")) or fg_note,
            register_updated=_text(data.get("laatst_bijgewerkt")),
        )


@dataclass
class Register:
    """The register of one client: the controller and its processing activities."""

    client: str
    controller: Controller
    activities: list[Activity] = field(default_factory=list)

    def activity(self, name: str) -> Activity | None:
        """The activity called ``name`` (case-insensitive), or None."""
        wanted = fold(name).strip()
        return next((a for a in self.activities if fold(a.name).strip() == wanted), None)

    def places_outside_eea(self) -> list[str]:
        """The countries outside the EEA the register records data going to (transfers, recipients there);
        empty when it records none."""
        places = [t.country for a in self.activities for t in a.transfers]
        places += [
            x.country for a in self.activities for x in a.recipients if x.country and not in_eea(x.country)
        ]
        return list(dict.fromkeys(places))

    def own_processing(self) -> Register:
        """The register without the activities the client carries out for another controller.

        Its privacyverklaring and the checks of legal basis, balancing test and art. 9 exception are about
        these; processing on behalf of a customer is that customer's to explain (art. 30 lid 2 AVG).
        """
        return replace(self, activities=[a for a in self.activities if not a.for_another_controller])

    def to_dict(self) -> dict[str, Any]:
        """The Dutch-keyed dictionary form (what YAML holds)."""
        return {
            "klant": self.client,
            "organisatie": self.controller.to_dict(),
            "verwerkingen": [a.to_dict() for a in self.activities],
        }

    @classmethod
    def from_dict(cls, data: Any, client: str | None = None) -> Register:
        """Read the Dutch-keyed form; ``client`` overrides the name in the data."""
        if not isinstance(data, dict):
            raise RegisterError(
                "Het register moet de onderdelen 'klant', 'organisatie' en 'verwerkingen' hebben."
            )
        name = client or _text(data.get("klant"))
        organisation = dict(_mapping(data.get("organisatie") or {}, "organisatie"))
        if not organisation.get("laatst_bijgewerkt") and data.get("laatst_bijgewerkt"):
            # the register's own date, written at its top ("laatst_bijgewerkt: 2024-03-12")
            organisation["laatst_bijgewerkt"] = data["laatst_bijgewerkt"]
        controller = Controller.from_dict(organisation)
        activities = [Activity.from_dict(a) for a in _items(data.get("verwerkingen"))]
        return cls(name, controller, activities)


@dataclass(frozen=True)
class Problem:
    """A validation finding: ``blocking`` ones keep the register from being saved."""

    where: str
    message: str
    blocking: bool = False

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def validate(register: Register) -> list[Problem]:
    """Every problem in ``register``: blocking errors and warnings, in Dutch."""
    problems: list[Problem] = []
    try:
        client_scope(register.client)
    except ScopeError:
        problems.append(Problem("Klant", f"ongeldige klantnaam '{register.client}'.", blocking=True))
    controller = register.controller
    if not controller.name:
        problems.append(Problem("Organisatie", "de naam van de organisatie ontbreekt.", blocking=True))
    if not (controller.email or controller.phone or controller.address):
        problems.append(Problem("Organisatie", "contactgegevens ontbreken (e-mail, telefoon of adres)."))
    seen: set[str] = set()
    for index, activity in enumerate(register.activities, start=1):
        where = f"Verwerking '{activity.name}'" if activity.name else f"Verwerking {index}"
        if not activity.name:
            problems.append(Problem(where, "de naam ontbreekt.", blocking=True))
        elif fold(activity.name) in seen:
            problems.append(
                Problem(where, "deze naam komt vaker voor; namen moeten uniek zijn.", blocking=True)
            )
        seen.add(fold(activity.name))
        problems += _activity_problems(activity, where)
    if not register.activities:
        problems.append(Problem("Register", "er zijn nog geen verwerkingen vastgelegd."))
    problems += _fg_problems(register)
    return problems


def is_health(activity: Activity) -> bool:
    """Whether an activity records health data (its special categories or the care exception, sub h)."""
    text = fold(" ".join(activity.special_categories))
    return activity.art9_exception == "h" or any(w in text for w in ("gezond", "medisch", "zorg", "patient"))


def _fg_problems(register: Register) -> list[Problem]:
    """What the register's own facts say about the FG (art. 37 lid 1 AVG)."""
    controller = register.controller
    if controller.has_fg:
        return []
    special = [a for a in register.activities if a.special_categories]
    at_scale = [a.name for a in special if answer(a.large_scale) == YES]
    if at_scale:
        what = "gezondheidsgegevens" if any(is_health(a) for a in special) else "bijzondere persoonsgegevens"
        return [
            Problem(
                "Organisatie",
                f"grootschalige verwerking van {what} ({', '.join(at_scale)}) zonder FG: een FG is dan "
                "verplicht (art. 37 lid 1 sub c AVG).",
            )
        ]
    if not controller.fg_assessment:
        extra = (
            " Er worden bijzondere persoonsgegevens verwerkt: leg ook per verwerking vast of dat "
            "grootschalig is ('grootschalig')."
            if special
            else ""
        )
        return [
            Problem(
                "Organisatie",
                "niet vastgelegd of een FG verplicht is ('fg_beoordeling', art. 37 AVG); de "
                "privacyverklaring laat dit open." + extra,
            )
        ]
    return []


def dpia_reasons(activity: Activity) -> list[str]:
    """Why the register's own facts call for a DPIA for ``activity`` (art. 35 lid 3 AVG)."""
    reasons: list[str] = []
    if answer(activity.automated_decisions) == YES:
        reasons.append("geautomatiseerde besluiten over personen (art. 35 lid 3 sub a AVG)")
    if activity.special_categories and answer(activity.large_scale) == YES:
        reasons.append("grootschalige verwerking van bijzondere persoonsgegevens (art. 35 lid 3 sub b AVG)")
    return reasons


#: An activity of the payroll or the financial administration, which the fiscal retention duty covers
#: (art. 52 AWR: seven years), by its name or purpose.
_FISCAL = re.compile(
    r"\b(?:salaris\w*|loon\w*|verloning|payroll|boekhouding|facturen|facturatie|debiteuren\w*|"
    r"crediteuren\w*|financiele administratie)\b"
)
_FISCAL_DAYS = 7 * 365


def _shorter_than_fiscal_duty(activity: Activity) -> bool:
    """Whether a payroll or financial activity keeps its data for less than seven years by every term the
    register names ("2 jaar na uitdiensttreding"; not "… 2 jaar; loonadministratie 7 jaar")."""
    if not _FISCAL.search(fold(f"{activity.name} {activity.purpose}")):
        return False
    terms = durations(activity.retention)
    return bool(terms) and max(terms) < 0.95 * _FISCAL_DAYS


#: Paying for what was agreed (an activity's name or purpose, folded): a contract's execution, not consent.
_PAYMENT = re.compile(
    r"\b(?:\w*incasso\w*|betaling\w*|betalen|lesgeld\w*|contributie\w*|facturatie|factureren|facturen"
    r"|abonnementsgeld\w*|sepa|machtiging\w*)\b"
)


def consent_for_payment(activity: Activity) -> bool:
    """Whether an activity paying for what was agreed (lesgeld, incasso, contributie) records consent as its
    basis: that rests on the contract (art. 6 lid 1 sub b AVG); a SEPA mandate is no consent of the AVG."""
    return (
        activity.legal_basis == "a"
        and _PAYMENT.search(fold(f"{activity.name} {activity.purpose}")) is not None
    )


def _activity_problems(activity: Activity, where: str) -> list[Problem]:
    problems: list[Problem] = []

    def warn(message: str) -> None:
        problems.append(Problem(where, message))

    if not activity.purpose:
        warn("het doel ontbreekt (art. 30 lid 1 sub b AVG).")
    own = not activity.for_another_controller  # else basis, weighing, art. 9, art. 22 are the controller's
    if own and not activity.legal_basis:
        warn("de grondslag ontbreekt (art. 6 lid 1 AVG).")
    if own and activity.legal_basis == "f" and not activity.legitimate_interest:
        warn(
            "bij grondslag f (gerechtvaardigd belang) moet het belang worden beschreven "
            "(art. 13 lid 1 sub d AVG)."
        )
    if own and activity.legal_basis == "f" and answer(activity.balancing_test) != YES:
        warn(
            "gerechtvaardigd belang zonder vastgelegde belangenafweging ('belangenafweging', art. 6 lid 1 "
            "sub f AVG); de privacyverklaring zegt dan niet dat het belang is afgewogen."
        )
    if own and consent_for_payment(activity):
        warn(
            "grondslag: toestemming (a) voor een betaling of incasso; wat nodig is om de overeenkomst uit te "
            "voeren rust op de overeenkomst (b, art. 6 lid 1 AVG). Een SEPA-machtiging is geen toestemming "
            "in de zin van de AVG, en toestemming moet altijd ingetrokken kunnen worden (art. 7 lid 3 AVG)."
        )
    reasons = dpia_reasons(activity)
    if reasons and answer(activity.dpia) != YES:
        warn(f"een DPIA is nodig ({'; '.join(reasons)}), maar er is geen DPIA vastgelegd ('dpia').")
    if own and not activity.automated_decisions:
        warn(
            "niet vastgelegd of er geautomatiseerde besluiten zijn ('geautomatiseerde_besluitvorming', "
            "art. 22 AVG; 'nee' als die er niet zijn)."
        )
    if not activity.has_transfers:
        warn(
            "niet vastgelegd of gegevens buiten de EER gaan ('doorgifte_buiten_eer': nee, of de doorgiften)."
        )
    # criminal data (art. 10 AVG) have their basis in the UAVG, not in an exception of art. 9
    art9_data = [c for c in activity.special_categories if not _CRIMINAL_DATA.search(fold(c))]
    if own and art9_data and not activity.art9_exception:
        warn("bijzondere persoonsgegevens zonder uitzondering van art. 9 lid 2 AVG.")
    if not activity.data_categories:
        warn("de categorieën persoonsgegevens ontbreken (art. 30 lid 1 sub c AVG).")
    if not activity.data_subjects:
        warn("de categorieën betrokkenen ontbreken (art. 30 lid 1 sub c AVG).")
    if not activity.retention:
        warn("de bewaartermijn ontbreekt (art. 30 lid 1 sub f AVG).")
    elif _shorter_than_fiscal_duty(activity):
        warn(
            f"de bewaartermijn ({activity.retention}) is korter dan de fiscale bewaarplicht van 7 jaar "
            "(art. 52 AWR) voor de loon- en financiële administratie: ga na welke gegevens daaronder vallen "
            "en vermeld hun termijn."
        )
    for recipient in activity.recipients:
        if not recipient.name:
            problems.append(Problem(where, "een ontvanger zonder naam.", blocking=True))
        if recipient.unrecognised_kind:
            warn(
                f"soort '{recipient.unrecognised_kind}' bij '{recipient.name}' is gelezen als ontvanger; "
                "ga na of het een verwerker is (dan hoort er een verwerkersovereenkomst bij)."
            )
        if recipient.kind not in RECIPIENT_KINDS:
            problems.append(
                Problem(
                    where,
                    f"onbekende soort ontvanger '{recipient.kind}' (gebruik: {', '.join(RECIPIENT_KINDS)}).",
                    blocking=True,
                )
            )
        if unknown_place(recipient.country):
            warn(
                f"van ontvanger '{recipient.name}' is het land onbekend; ga na waar de gegevens worden "
                "verwerkt (binnen of buiten de EER)."
            )
        elif not in_eea(recipient.country) and not any(
            fold(t.country) == fold(recipient.country) for t in activity.transfers
        ):
            warn(
                f"ontvanger '{recipient.name}' zit in {recipient.country}, buiten de EER, maar er is geen "
                "doorgifte vastgelegd."
            )
    for transfer in activity.transfers:
        if not transfer.country:
            problems.append(Problem(where, "een doorgifte zonder land.", blocking=True))
        elif in_eea(transfer.country):
            warn(f"{transfer.country} ligt in de EER; dat is geen doorgifte buiten de EER.")
        if transfer.country and not transfer.safeguard:
            warn(f"de waarborg voor doorgifte naar {transfer.country} ontbreekt (art. 46 AVG).")
        elif struck_down := invalid_safeguard(transfer.safeguard):
            warn(
                f"de doorgifte naar {transfer.country} rust op het {struck_down}, dat het Hof van Justitie "
                "ongeldig heeft verklaard; leg een geldige waarborg vast (EU-VS Data Privacy Framework met "
                "certificering van de ontvanger, of modelcontractbepalingen met een doorgiftetoets)."
            )
    return problems


def check_valid(register: Register) -> list[Problem]:
    """Raise :class:`RegisterError` on blocking problems; return the warnings."""
    problems = validate(register)
    blocking = [str(p) for p in problems if p.blocking]
    if blocking:
        raise RegisterError("Het register kan niet worden opgeslagen:", blocking)
    return problems


def _own_basis(data: dict[str, Any], activity: str) -> str:
    """The activity's legal basis as its letter; for an activity done as processor for another controller
    ("rol: verwerker") the controller's basis may be named in words ("bepaald door de opdrachtgever"):
    it is not the client's own, and stays empty."""
    value = _text(data.get("grondslag"))
    try:
        return parse_basis(value, LEGAL_BASES, "6 lid 1", activity)
    except RegisterError:
        if fold(_text(data.get("rol"))).strip().startswith("verwerker"):
            return ""
        raise


#: The exception said to be the controller's: "wij verwerken als verwerker; de uitzondering ligt bij de
#: opdrachtgever (art. 9 lid 2 sub h of sub f AVG …)".
_CONTROLLERS_EXCEPTION = re.compile(
    r"\bals verwerker\b|\b(?:ligt|liggen|berust|berusten)\s+bij\s+(?:de|onze)\s+"
    r"(?:opdrachtgever|opdrachtgevers|verwerkingsverantwoordelijke|klant|klanten)\b"
)


#: The basis for criminal data cited in the exception field: art. 10 AVG with art. 31–33 UAVG ("art. 10 AVG
#: jo. art. 33 UAVG; screening verplicht op grond van de Wpbr"). Criminal data are no special data of art. 9;
#: their basis is not one of its exceptions.
_CRIMINAL_DATA_BASIS = re.compile(
    r"\bart(?:ikel)?\.?\s*10\s*(?:lid\s+\d\s*)?(?:van\s+de\s+)?avg\b"
    r"|\bart(?:ikel)?\.?\s*3[123]\s*(?:lid\s+\d\s*)?(?:(?:sub|onder)\s+\w\s*)?(?:van\s+de\s+)?uavg\b"
)


#: Criminal data among the special data: "strafrechtelijke gegevens (VOG)".
_CRIMINAL_DATA = re.compile(
    r"strafrecht\w*|\bvog\b|verklaring omtrent het gedrag|justitie\w*|justitiele|veroordeling\w*"
)


def _own_exception(data: dict[str, Any], activity: str) -> str:
    """The activity's art. 9 exception as its letter. As for the basis (:func:`_own_basis`), an activity the
    client carries out as a processor may name the controller's exception in words: it is not the client's
    own, and stays empty; so does the basis for criminal data (art. 10 AVG, art. 31–33 UAVG) written where
    the exception goes."""
    value = _text(_first(data, "uitzondering_art9", "uitzondering"))
    try:
        return parse_basis(value, ART9_EXCEPTIONS, "9 lid 2", activity)
    except RegisterError:
        folded = fold(value)
        if (
            fold(_text(data.get("rol"))).strip().startswith("verwerker")
            or _CONTROLLERS_EXCEPTION.search(folded)
            or _CRIMINAL_DATA_BASIS.search(folded)
        ):
            return ""
        raise


#: Art. 30 UAVG (health data) cited as the exception: the employer's sickness and reintegration records rest
#: on art. 9 lid 2 sub b, care providers' on sub h; the words beside the article tell which.
_UAVG_30 = re.compile(r"\bart(?:ikel)?\.?\s*30\b[^;]*\buavg\b|\buavg\b[^;]*\bart(?:ikel)?\.?\s*30\b")
_EMPLOYMENT = re.compile(r"\b(?:ziek\w*|verzuim\w*|re-?integratie|werkgever\w*|personeel\w*|herstelmeld\w*)")
_CARE = re.compile(r"\b(?:zorg\w*|behandel\w*|hulpverlen\w*|beroepsgeheim|patient\w*)")


def parse_basis(value: str, table: dict[str, str], article: str, activity: str = "") -> str:
    """A legal basis or art. 9 exception as its letter: from "f", "art. 6 lid 1 sub f", a label (for an
    exception also "art. 30 UAVG" with the words that say whether it is the employer's or the care's) or a
    description that names the telling word of one label only ("toestemming van de deelnemer")."""
    if not value:
        return ""
    match = _BASIS.match(value)
    if match and match.group(1).lower() in table:
        return match.group(1).lower()
    folded = fold(value).strip()
    for letter, label in table.items():
        if folded == fold(label) or folded.startswith(fold(label)):
            return letter
    if table is ART9_EXCEPTIONS and _UAVG_30.search(folded):
        if _EMPLOYMENT.search(folded) and not _CARE.search(folded):
            return "b"
        if _CARE.search(folded) and not _EMPLOYMENT.search(folded):
            return "h"
    named = _named_by_word(folded, table)
    if named:
        return named
    where = f" bij verwerking '{activity}'" if activity else ""
    letters = f"{min(table)}–{max(table)}"
    raise RegisterError(
        f"Onbekende grondslag '{value}'{where}: gebruik een letter {letters} (art. {article} AVG) "
        f"of de naam, bijv. '{next(iter(table.values()))}'."
    )


#: Words of the labels that name no basis or exception by themselves.
_SHARED_LABEL_WORDS = frozenset(
    {"belang", "algemeen", "algemene", "sociale", "door", "zelf", "openbaar", "gemaakt"}
)


def _named_by_word(folded: str, table: dict[str, str]) -> str:
    """The one letter whose label shares a telling word (six letters or more) with a free description
    ("toestemming van de deelnemer op het intakeformulier" → art. 9 lid 2 sub a, "uitdrukkelijke
    toestemming"); "" when no label or several labels do."""
    said = set(re.findall(r"[a-z]{6,}", folded))
    letters = {
        letter
        for letter, label in table.items()
        if said & (set(re.findall(r"[a-z]{6,}", fold(label))) - _SHARED_LABEL_WORDS)
    }
    return letters.pop() if len(letters) == 1 else ""


def cited_art9_exception(*texts: str | list[str]) -> str:
    """The letter of the one art. 9 lid 2 exception a register cites in a description ("" when none or more).

    Hand-kept registers often write it with the special data ("gezondheidsgegevens; uitzondering art. 9
    lid 2 sub h AVG") or in the note on the legal basis instead of in ``uitzondering_art9``.
    """
    flat = [t for item in texts for t in ([item] if isinstance(item, str) else item)]
    letters = {m.group(1).lower() for t in flat for m in _ART9_CITED.finditer(t)}
    return letters.pop() if len(letters) == 1 else ""


def basis_label(letter: str) -> str:
    """ "f" → "gerechtvaardigd belang"."""
    return LEGAL_BASES.get(letter, "")


def basis_citation(letter: str) -> str:
    """ "f" → "art. 6 lid 1 sub f AVG"."""
    return f"art. 6 lid 1 sub {letter} AVG" if letter in LEGAL_BASES else ""


def art9_citation(letter: str) -> str:
    """ "a" → "art. 9 lid 2 sub a AVG"."""
    return f"art. 9 lid 2 sub {letter} AVG" if letter in ART9_EXCEPTIONS else ""


def answer(value: str) -> str:
    """A register field read as yes/no: "nee" for "nee", "geen …", "niet …" (and YAML false), "" when
    empty, else "ja" (a description of what is done)."""
    folded = fold(value).strip()
    if not folded:
        return ""
    return NO if _NEGATIVE.match(folded) else YES


def _first(data: dict[str, Any], *keys: str) -> Any:
    """The value of the first of ``keys`` that ``data`` has (a field's Dutch synonyms)."""
    return next((data[k] for k in keys if data.get(k) not in (None, "")), None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # YAML reads "ja"/"nee" as text, but yes/no/true/false as booleans
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _texts(value: Any) -> list[str]:
    """A list of strings from a list or a "; "-separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        parts = value.split(LIST_SEPARATOR.strip())
    elif isinstance(value, list | tuple):
        parts = [_text(v) for v in value]
    else:
        parts = [_text(value)]
    return [p for p in (_text(p) for p in parts) if p]


def _items(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise RegisterError(f"Verwacht een lijst, maar kreeg: {str(value)[:60]!r}.")
    return value


NO_FG = re.compile(r"^\s*(geen|nee|niet|n\.?v\.?t\.?|nvt|false|no|none)\b", re.IGNORECASE)


def _fg_fields(value: Any) -> tuple[dict[str, Any], str]:
    """The FG's fields, and the assessment text when ``fg`` is written as a sentence.

    Registers kept by hand often write ``fg: geen (niet verplicht, beoordeeld 2023)``: no FG, and
    that text is the recorded assessment. Another single text is the FG's e-mail address (with an
    ``@``) or name.
    """
    if value is None or value is False or value == "":
        return {}, ""
    if isinstance(value, str):
        text = value.strip()
        if NO_FG.match(text):
            return {}, text
        return ({"email": text} if "@" in text else {"naam": text}), ""
    return _mapping(value, "fg"), ""


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RegisterError(f"Ongeldige {what}: verwacht velden (naam, ...), maar kreeg {str(value)[:60]!r}.")
    return value
