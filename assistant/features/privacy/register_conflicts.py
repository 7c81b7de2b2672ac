"""What the client's own documents say against its register: another retention period, a legal duty.

A consultant who reads the retention schedule "Facturen, betalingen en incassodossiers: 7 jaar na
afloop van het boekjaar" next to a register that keeps "Debiteurenbeheer en incasso" for "2 jaar na
betaling" knows one of the two is wrong; so is a register that rests the reporting of rent arrears on
legitimate interest (f) while the process description says "op grond van de Wet gemeentelijke
schuldhulpverlening zijn wij verplicht …" (a legal obligation, c). Both are reported as register
warnings with the document's words, for the consultant to choose; nothing changes in the register.

A recipient the register still names while a document says it is no longer used ("Het oude systeem
(CVbank Online) is per 1 april 2025 afgesloten", "we zijn gestopt met Mailgo") is the third kind: the
register is out of date, and no processing agreement is needed any more with a party that no longer
processes. Only a sentence in the past or present counts ("wordt per 2027 opgezegd" is a plan), and
"afgesloten" is not read beside an agreement or subscription ("een verwerkersovereenkomst afgesloten"
concludes one).

A party the documents send an activity's data to ("gaan via het opdrachtenportaal naar de aannemer",
"alle uren, contracten en facturen lopen via KidsAdmin") that no activity of the register names as
recipient is the fourth: the register's recipients are incomplete. The party is a name (capitalised) or a
kind of recipient ("aannemer", "mentor", "laboratorium"); the sentence is bound to an activity by its
words (:mod:`.register_binding`), and only when one activity is clearly meant.

Only what names an activity of the register counts (the words of its name in the row's label or in the
sentence: "incassodossiers" → "Debiteurenbeheer en incasso"); a schedule row without such a name
("Pinbonnen en kasstaten: 7 jaar") is left alone. A retention period differs when none of the row's
durations is within a tenth of one the register names ("4 weken" is "28 dagen"; "2 jaar na
uitdiensttreding, loonadministratie 7 jaar" holds both 2 and 7 years).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.features.privacy.countries import countries_in
from assistant.features.privacy.model import Register, basis_label
from assistant.features.privacy.other_sources import Passage, place, short_quote
from assistant.features.privacy.reflow import reflow, table_rows
from assistant.features.privacy.register_binding import bind_activity
from assistant.features.privacy.suggestions import best_known_activity
from knowledge.text_analysis import fold

FIELD_RETENTION = "bewaartermijn"
FIELD_BASIS = "grondslag"
FIELD_RECIPIENTS = "ontvangers"
FIELD_UNRECORDED = "ontbrekende ontvanger"

_NUMBERS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12, "vijftien": 15, "twintig": 20,
}  # fmt: skip
_DAYS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7, "maand": 30, "maanden": 30, "jaar": 365, "jaren": 365}
_DURATION = re.compile(
    r"\b(?P<n>\d+(?:[.,]\d+)?|"
    + "|".join(_NUMBERS)
    + r")\s+(?P<unit>dagen|dag|weken|week|maanden|maand|jaren|jaar)\b"
)
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
#: Said of a system or supplier that is no longer used (after its name) ...
_RETIRED = re.compile(
    r"\b(?:niet (?:meer|langer) in gebruik|buiten gebruik|niet meer gebruikt|gebruiken (?:wij|we) niet meer|"
    r"opgezegd|uitgefaseerd|stopgezet|afgesloten|beeindigd|afgeschaft|vervangen door)\b"
)
#: A participle that is also an adjective ("afgesloten klantdossiers") retires only where it ends its
#: clause: "Het oude systeem (CVbank Online) is per 1 april 2025 afgesloten."
_PREDICATE = re.compile(
    r"\b(?:opgezegd|stopgezet|afgesloten|beëindigd|beeindigd|afgeschaft)(?=\s*(?:[.;,:)]|$|\s+(?:en|maar|omdat|"
    r"want|sinds|nadat|toen)\b))",
    re.IGNORECASE,
)
_PARTICIPLES = re.compile(r"\b(?:opgezegd|stopgezet|afgesloten|beeindigd|afgeschaft)\b")
#: ... or before it: "we zijn gestopt met Mailgo", "overgestapt van CVbank naar Recruitly".
_RETIRED_BEFORE = r"\b(?:gestopt met|overgestapt van|afscheid genomen van|opgezegd bij)\s+(?:het |de )?"
#: "afgesloten" concludes an agreement or subscription; a plan is not yet a change.
_NOT_RETIRED = re.compile(
    r"\b(?:\w*overeenkomst\w*|contract\w*|abonnement\w*|verzekering\w*|wordt|worden|zal|zullen|gaan|gaat|"
    r"willen|binnenkort|gepland|voornemen)\b"
)
#: Data that go somewhere: "gaan … naar", "lopen via", "sturen we … aan".
_FLOW = re.compile(
    r"\b(?:gaan|gaat|ging|gingen|gaan\s+ook|lopen|loopt|liep|sturen|stuurt|versturen|verstuurd|gestuurd|"
    r"doorgestuurd|doorgegeven|doorgeven|verstrekken|verstrekt|gedeeld|delen)\b"
)
#: The party after "naar/aan/via": a capitalised name, or a kind of recipient.
_PARTY = re.compile(
    r"\b(?:naar|aan|via)\s+(?:de\s+|het\s+|een\s+|onze\s+|ons\s+)?"
    r"(?P<party>[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2}|[a-z][\w-]*)"
)
_RECIPIENT_KINDS = frozenset(
    """aannemer aannemers mentor mentoren school scholen laboratorium lab koerier gemeente verzekeraar
    zorgverzekeraar accountant boekhouder administratiekantoor bank deurwaarder incassobureau huisarts
    specialist politie uwv belastingdienst ggd drukker drukkerij bezorger vervoerder transporteur
    crematorium apotheek werkgever opdrachtgever inlener pensioenfonds arbodienst bedrijfsarts notaris
    advocaat makelaar hostingpartij leverancier installateur onderaannemer taxateur""".split()
)
#: Capitalised words that are no party: the roles of a processing agreement ("stuurt hij door aan
#: Opdrachtgever"), protocols ("loopt via TLS"), pronouns.
_NOT_A_PARTY = frozenset(
    """opdrachtgever verwerker verwerkingsverantwoordelijke klant partijen betrokkene betrokkenen subverwerker
    tls ssl vpn https sftp api mfa europa u ons onze""".split()
)
_NEGATED = re.compile(r"\b(?:niet|nooit|geen)\b")
#: Legal forms and punctuation left out of a company name for comparing.
_LEGAL_FORM = re.compile(r"\b(?:b v|bv|n v|nv|v o f|vof|llc|inc|ltd|gmbh|s a|corporation|platforms|ou)\b")


def company_key(name: str) -> str:
    """A company name without legal form, brackets and punctuation (for comparing names)."""
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(re.sub(r"\(.*?\)", " ", name))).split())
    return " ".join(_LEGAL_FORM.sub(" ", folded).split())


_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


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
        return (
            f"grondslag: het register noemt {self.register_value}, maar {self.where} noemt een wettelijke "
            f"plicht („{short_quote(self.quote)}”). Ga na of de grondslag c (wettelijke verplichting) is."
        )


def find_conflicts(passages: Iterable[Passage], register: Register) -> list[Conflict]:
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
        for line in lines:
            for sentence in _SENTENCE.split(line):
                folded = " ".join(fold(sentence).split())
                if not _LEGAL_DUTY.search(folded) or _RETENTION_TALK.search(folded):
                    continue
                name = best_known_activity(sentence, known, unique=True)
                activity = register.activity(name) if name else None
                if activity is None or activity.legal_basis not in ("a", "f"):
                    continue
                if (activity.name, FIELD_BASIS) not in found:
                    basis = f"{activity.legal_basis} ({basis_label(activity.legal_basis)})"
                    found[(activity.name, FIELD_BASIS)] = Conflict(
                        activity.name, FIELD_BASIS, basis, "c", passage.document, passage.page,
                        " ".join(sentence.split()),
                    )  # fmt: skip
    for name, recipient, passage, sentence in _retired_recipients(passages, register):
        if (name, f"{FIELD_RECIPIENTS}:{recipient}") not in found:
            found[(name, f"{FIELD_RECIPIENTS}:{recipient}")] = Conflict(
                name, FIELD_RECIPIENTS, recipient, "niet meer in gebruik", passage.document, passage.page,
                " ".join(sentence.split()),
            )  # fmt: skip
    for name, party, passage, sentence in _unrecorded_recipients(passages, register):
        if (name, f"{FIELD_UNRECORDED}:{party}") not in found:
            found[(name, f"{FIELD_UNRECORDED}:{party}")] = Conflict(
                name, FIELD_UNRECORDED, "", party, passage.document, passage.page, " ".join(sentence.split())
            )
    return list(found.values())


def _unrecorded_recipients(
    passages: Iterable[Passage], register: Register
) -> list[tuple[str, str, Passage, str]]:
    """(activity, party, passage, sentence) for each party the documents send an activity's data to and no
    activity of the register names as recipient (see the module docstring)."""
    recorded = (
        " ".join(
            " ".join(re.sub(r"[^a-z0-9]+", " ", fold(r.name)).split())
            for a in register.activities
            for r in [*a.recipients]
        )
        + " "
        + " ".join(fold(t.recipient) for a in register.activities for t in a.transfers)
    )
    found = []
    for passage in passages:
        for line in reflow(passage.text):
            for sentence in _SENTENCE.split(line):
                folded = fold(sentence)
                if not _FLOW.search(folded) or _NEGATED.search(folded):
                    continue
                for match in _PARTY.finditer(sentence):
                    party = match["party"]
                    key = company_key(party)
                    kind = party[0].islower()
                    if (kind and key not in _RECIPIENT_KINDS) or key in _NOT_A_PARTY or len(key) < 3:
                        continue
                    if countries_in(key):
                        continue  # "Joanna gaat naar Polen": a trip, not a recipient
                    head = key.split()[0]
                    if any(head[:5] in w for w in recorded.split()):
                        continue  # the register names it (or its kind) somewhere ("basisschool")
                    activity = bind_activity(sentence, register)
                    if activity is not None:
                        found.append((activity.name, party, passage, sentence))
    return found


def retired_recipients(conflicts: Iterable[Conflict]) -> list[str]:
    """The recipients the documents say are no longer used (from :func:`find_conflicts`)."""
    return list(dict.fromkeys(c.register_value for c in conflicts if c.field == FIELD_RECIPIENTS))


def _retired_recipients(
    passages: Iterable[Passage], register: Register
) -> list[tuple[str, str, Passage, str]]:
    """(activity, recipient, passage, sentence) for each recipient of the register that a sentence of the
    documents says is no longer used (see the module docstring)."""
    names = {
        (a.name, r.name): key
        for a in register.activities
        for r in a.recipients
        if len(key := company_key(r.name)) >= 3
    }
    found = []
    for passage in passages:
        for line in reflow(passage.text):
            for sentence in _SENTENCE.split(line):
                words = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(sentence)).split())
                if _NOT_RETIRED.search(words):
                    continue
                if _PARTICIPLES.search(words) and not _PREDICATE.search(sentence):
                    words = _PARTICIPLES.sub(" ", words)  # "afgesloten klantdossiers": an adjective
                for (activity, recipient), key in names.items():
                    name = rf"\b{re.escape(key)}\b"
                    after = re.search(rf"{name}(?P<between>(?:\s+\S+){{0,8}}?)\s+{_RETIRED.pattern}", words)
                    if after and any(f" {k} " in f"{after['between']} " for k in names.values() if k != key):
                        after = None  # "StaffPilot en CVbank: CVbank is afgesloten" retires the nearer one
                    if after or re.search(rf"{_RETIRED_BEFORE}{name}", words):
                        found.append((activity, recipient, passage, sentence))
    return found


def durations(text: str) -> list[float]:
    """The durations ``text`` names, in days ("2 jaar na uitdiensttreding, loonadministratie 7 jaar")."""
    found = []
    for match in _DURATION.finditer(fold(text)):
        raw = match["n"].replace(",", ".")
        number = float(raw) if raw[0].isdigit() else float(_NUMBERS[raw])
        found.append(number * _DAYS[match["unit"]])
    return found


def _differs(register_value: str, document_value: str) -> bool:
    ours, theirs = durations(register_value), durations(document_value)
    if not ours or not theirs:
        return False
    return not any(abs(a - b) <= 0.1 * max(a, b) for a in ours for b in theirs)


def _clean(term: str) -> str:
    return " ".join(term.split()).rstrip(".")
