"""Art. 14 AVG: passages of the client's documents that show data come from someone else.

A consultant reading "cliënten komen binnen via een verwijzing van de huisarts" or "voor de
kredietcheck vraagt HuurCheck bij KredietInzicht B.V. na …" knows that art. 14 applies to that
processing: the statement must name the categories and the source. When the register's activity has
no ``bron``/``herkomst``, the register warns (naming the passage) and the draft shows
``[AANVULLEN: bron …]`` instead of staying silent.

A sentence counts when it names a third party *as the origin* of data: a referral (verwijzing,
verwijzer, verwezen door), a credit check (kredietcheck, BKR, kredietinformatiebureau), a party with a
verb of receiving ("ontvangen wij van", "aangeleverd door", "opgevraagd bij", "afkomstig van",
"overgenomen uit"), or a party that hands data to the organisation ("werkgevers sturen ons een lijst",
"ouders melden hun kind aan"), bought leads ("leads van OfferteVergelijk.nl", "per lead"), or a person
looked up in a public or online source ("zoekt nieuwe tolken op in het Rbtv en via LinkedIn"). Data going
*to* a party ("wij sturen de uitslag naar de huisarts") does not count. The sentence is bound to the
activity whose name its document or passage names (the document title "Procesbeschrijving
huurdersselectie" → "Huurdersselectie"); a sentence no activity fits is reported for the register as a
whole."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from assistant.features.privacy.model import Activity, Register
from knowledge.text_analysis import fold, plain_words

#: Parties that commonly provide data about someone (folded; the first group names the party).
_PARTY = (
    r"(?P<party>huisarts\w*|verwijzer\w*|ziekenhuis\w*|specialist\w*|transferverpleegkundige|zorgkantoor\w*"
    r"|zorgverzekeraar\w*|verzekeraar\w*|gemeente\w*|uwv|belastingdienst|\bduo\b|\bsvb\b|\bcak\b|\bciz\b"
    r"|werkgever\w*|ouders?|verzorgers?|voogd|(vorige |andere |oude )?school|verhuurder\w*"
    r"|kredietinformatiebureau\w*|\bbkr\b|politie|notaris\w*|apothe\w*|laboratori\w*|jeugdzorg\w*"
    r"|wijkteam\w*|brp|basisregistratie\w*|kadaster|handelsregister|kamer van koophandel|referent\w*"
    r"|andere (zorgverlener|organisatie|instantie|partij)\w*|derden|externe partij\w*"
    r"|\w*bond\b|knvb|(vorige |andere |oude )(club|vereniging)|uitzendbureau\w*|uitzendorganisatie\w*"
    r"|[\w-]*databank\w*|cv-database\w*|vacaturebank\w*|vergelijkingssite\w*|leadleverancier\w*"
    # the organiser of an event or the client who commissions the work hands over lists of other people
    r"|organisator\w*|opdrachtgever\w*"
    # who books for others or hands over a guest list: "de hoofdboeker vult ook de gegevens van alle
    # reisgenoten in", "de gastenlijst krijgen we van de tourmanager of het boekingskantoor"
    r"|hoofdboeker\w*|tourmanager\w*|boekingskantoor\w*|impresario\w*"
    # a booking or comparison site by its address: "komt binnen via Salonvinder.nl"
    r"|(?!(?:wetransfer|dropbox|gmail|hotmail|outlook|google|icloud|zivver|whatsapp|microsoft)\.)"
    r"[a-z0-9-]+\.(?:nl|com|be|eu|de|org)\b"
    # a device's maker whose portal passes on readings; a trader in address files
    r"|fabrikant\w*|adresbureau\w*|adresleverancier\w*|adreshandel\w*|databureau\w*)"
)
_ARTICLE = r"(de |het |een |hun |uw |je |onze |die )?"
#: Verbs and phrases that make the party the origin of data.
_INCOMING = re.compile(
    r"(ontvang\w*|krijg\w*|verkrijg\w*|verkreg\w*|opvra\w*|opgevraagd|vraagt? (\w+ ){0,4}na|nagevraagd"
    r"|raadple\w*|geraadpleegd|opgehaald|gehaald|halen|haalt|overgenomen|aangeleverd|afkomstig|verstrekt door"
    r"|doorgegeven door|gemeld door|aangemeld door|toegestuurd|binnen)\b"
    r"[^.;]{0,80}\b(van|via|door|bij|uit) " + _ARTICLE + _PARTY
)
#: The same with the party first: "van de vorige school ontvangen wij een rapport".
_INCOMING_FRONT = re.compile(
    r"\b(van|via|uit) " + _ARTICLE + _PARTY + r"\b[^.;]{0,40}\b(ontvang\w*|krijg\w*|verkrijg\w*|halen"
    r"|gebruiken|zoeken) (wij|we)\b"
)
#: The party as the one who hands the data over ("werkgevers sturen ons", "ouders melden hun kind aan").
_GIVING = re.compile(
    _PARTY + r"\b (\w+ ){0,4}((sturen|stuurt|melden|meldt|geven|geeft|leveren|levert|verstrekken|verstrekt"
    r"|vullen|vult|schrijven|schrijft|delen|deelt)\b[^.;]{0,60}\b(ons|aan|door)\b"
    # "ouders vullen het formulier in" ("de verzekeraar geeft korting als er in elke auto …" gives nothing)
    r"|(vullen|vult|schrijven|schrijft)\b[^.;]{0,60}\bin\b)"
)
#: A credit check the client says it does not do: "wij doen geen kredietcheck en geen BKR-toets".
_NO_CREDIT = re.compile(r"\b(geen|niet|nooit)\b[^.;]{0,30}$")
#: Bought leads: "leads van OfferteVergelijk.nl", "we betalen € 35 per lead", "gekochte leads".
_LEADS = re.compile(
    r"\bleads? (?:van|via|uit) (?P<party>[\w.-]+)|\bper lead\b|\b(?:gekochte|ingekochte) leads?\b"
    r"|\bleads? (?:kopen|gekocht|inkopen|ingekocht)\b"
)
#: A person looked up in a public or online source: "Sanne zoekt nieuwe tolken op in het Rbtv en via
#: LinkedIn", "kandidaten bekijken we ook op sociale media".
_LOOKED_UP = re.compile(
    r"\b(?:zoek\w*|opgezocht|gezocht|bekijk\w*|bekeken|check\w*|gecheckt|raadple\w*|geraadpleegd|"
    r"nagezocht|gevonden|vind\w*)\b[^.;]{0,60}\b(?:op|in|via|uit) (?:het |de )?"
    r"(?P<party>linkedin|sociale media|social media|facebook|instagram|internet|google|open(?:bare)? bronnen"
    r"|rbtv|big-register|handelsregister|kadaster)\b"
)
#: A bought file of people: "bij Adresbureau Lijnbaan een bestand gekocht met namen en adressen".
_BOUGHT = re.compile(r"\b(?:gekocht|ingekocht|aangekocht|kopen|inkopen|koopt|kocht|kochten)\b")
_BOUGHT_PEOPLE = re.compile(
    r"\b(?:adressen|adresbestand\w*|adreslijst\w*|namen|klantenbestand\w*|e-mailadressen|telefoonnummers"
    r"|persoonsgegevens|contactgegevens|leads?)\b"
)
_BOUGHT_NOT = re.compile(r"\b(?:geen|niet|nooit|verkopen|verkocht)\b")
_SELLER = re.compile(r"\b(?:bij|van) (?P<party>(?:[A-Z][\w'’&.-]*\s?){1,3})")
_SOURCE_NAMES = {
    "linkedin": "LinkedIn",
    "rbtv": "het Rbtv",
    "big-register": "het BIG-register",
    "google": "Google",
}
_REFERRAL = re.compile(
    r"\b(verwijzing|verwijzingen|verwijsbrief\w*|verwijzer\w*|verwezen door|doorverwezen door)\b"
    r"(?! naar)"
)
_CREDIT = re.compile(
    r"\b(kredietcheck\w*|kredietinformatie\w*|kredietregistrati\w*|\bbkr\b|kredietwaardigheid\w*"
    r"|credit ?check\w*|betalingsachterstand\w*)"
)
#: Data that goes to the party, not from it.
_OUTGOING = re.compile(
    r"\b(wij|we) (\w+ ){0,3}(sturen|versturen|delen|verstrekken|geven|melden)\b"
    r"|\b(sturen|versturen|delen|verstrekken|geven|melden) (wij|we)\b"
    # "verhuurders moeten betalingsachterstanden doorgeven aan de gemeente"
    r"|\b(doorgeven|doorgegeven|doorgeeft|doorgestuurd) aan\b"
    # "bij een betalingsachterstand dragen wij de vordering over aan Incassodesk Zuid B.V."
    r"|\b(dragen|draagt|overgedragen|overdragen) (\w+ ){0,4}(over )?aan\b"
)
#: A contract's other party receiving the data: there "Opdrachtgever" is the client itself ("krijgt
#: Opdrachtnemer toegang tot persoonsgegevens van huurders van Opdrachtgever").
_CONTRACTOR = re.compile(r"\b(opdrachtnemer|verwerker|leverancier)\b")
_COMPANY = re.compile(r"\b((?:[A-Z][\w'’-]*\s+){1,3}(?:B\.\s?V\.|BV|N\.\s?V\.|NV))(?![\w])")
_SENTENCE = re.compile(r"(?<![A-Z]\.)(?<=[.!?;])\s+|\n\s*\n|\n(?=\s*[-*•]|\s*\d+[.)] )")
#: Words of an activity name too general to bind a passage to it.
_GENERIC = {
    "verwerking", "verwerkingen", "administratie", "gegevens", "persoonsgegevens", "beheer", "registratie",
    "dossier", "overige", "algemeen", "interne", "externe",
}  # fmt: skip


class Passage(Protocol):
    """A passage of a client document (the Compliancy Check's ``DocumentPassage`` fits)."""

    @property
    def document(self) -> str: ...  # noqa: D102

    @property
    def text(self) -> str: ...  # noqa: D102

    @property
    def page(self) -> int: ...  # noqa: D102


class SentenceBinder(Protocol):
    """Binds a sentence of a passage to a register activity by meaning, when one stands out
    (:class:`.register_semantic.SemanticBinder`); the word-based binders decide where it returns None."""

    def bind(self, passage: Passage, sentence: str) -> Activity | None: ...  # noqa: D102


def bind_by_meaning(binder: SentenceBinder | None, passage: Passage, sentence: str) -> Activity | None:
    """The activity ``binder`` ties the sentence to (None without a binder or a clear choice)."""
    return binder.bind(passage, sentence) if binder is not None else None


@dataclass(frozen=True)
class OtherSource:
    """A passage showing that data (also) comes from someone else than the person (art. 14 AVG)."""

    activity: str  # "" when no activity of the register fits the passage
    party: str
    document: str
    page: int
    quote: str

    @property
    def where(self) -> str:
        """Document and page: "Procesbeschrijving cliëntdossier, p. 1"."""
        return place(self.document, self.page)

    def message(self) -> str:
        """The Dutch register warning."""
        return (
            f"bron ontbreekt: gegevens komen (ook) van {self.party} (art. 14 AVG; {self.where}: "
            f"„{short_quote(self.quote)}”). Leg de bron vast ('bron')."
        )


def find_other_sources(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[OtherSource]:
    """Passages showing data from a third party, for activities that record no source.

    Activities with a ``bron`` are left out (their source is known), and so are activities done for
    another controller (``rol: verwerker``: the data come from that customer). One finding per activity (its
    first passage, with every party the passages name), in document order.
    """
    passages = list(passages)
    weights = _word_weights(passages, register)
    own = own_name_words(register)
    found: dict[str, OtherSource] = {}
    for passage in passages:
        for sentence in _sentences(_without_title(passage)):
            party = third_party(sentence)
            if not party or _is_own(party, own):
                continue
            meant = bind_by_meaning(binder, passage, sentence)
            activity = meant.name if meant is not None else _activity_of(passage, sentence, register, weights)
            known = register.activity(activity) if activity else None
            if known is not None and (known.from_other_source or known.for_another_controller):
                continue  # its source is known, or a processor gets the data from its customer
            if not activity and _all_sourced(register):
                continue
            earlier = found.get(activity)
            if earlier is None:
                quote = " ".join(sentence.split())
                found[activity] = OtherSource(activity, party, passage.document, passage.page, quote)
            elif party not in earlier.party.split(" en "):
                found[activity] = replace(earlier, party=f"{earlier.party} en {party}")
    named = {p for a, f in found.items() if a for p in f.party.split(" en ")}
    if "" in found and all(p in named for p in found[""].party.split(" en ")):
        del found[""]  # the same party already named for an activity
    return list(found.values())


def _is_own(party: str, own: list[str]) -> bool:
    """Whether the party is the organisation itself: "de apotheek" in the documents of Apotheek Vijverhof
    ("de apotheek stuurt het verzoek door naar de huisarts"); "de vorige vereniging" is another one."""
    words = [w for w in plain_words(party).split() if len(w) >= 4]
    if not words or words[0] in ("vorige", "andere", "oude"):
        return False
    return names_itself(words, own)


def own_name_words(register: Register) -> list[str]:
    """The folded words of the organisation's own names (the controller's and the client's)."""
    return plain_words(f"{register.controller.name} {register.client}").split()


def names_itself(words: Iterable[str], own: list[str]) -> bool:
    """Whether a party's word of four letters or more ends a word of the organisation's own name:
    "apotheek" of "Apotheek Vijverhof", "vereniging" of "Voetbalvereniging Sparta"."""
    return any(len(w) >= 4 and any(o.endswith(w) for o in own) for w in words)


def _without_title(passage: Passage) -> str:
    """The passage text without the document title its heading path may start with."""
    text = passage.text.lstrip()
    if passage.document and fold(text).startswith(fold(passage.document)):
        text = text[len(passage.document) :].lstrip(" >:-")
    return text


def third_party(sentence: str) -> str:
    """The party a sentence names as the origin of personal data, or "" when it names none."""
    folded = " ".join(fold(sentence).split())
    company = _COMPANY.search(sentence)
    credit = _CREDIT.search(folded)
    if credit and not _OUTGOING.search(folded) and not _NO_CREDIT.search(folded[: credit.start()]):
        return company.group(1).strip() if company else "een kredietinformatiebureau"
    if _REFERRAL.search(folded) and not _OUTGOING.search(folded):
        party = re.search(r"(van|door) " + _ARTICLE + _PARTY, folded)
        return _party_name(party.group("party")) if party else "de verwijzer"
    incoming = _INCOMING.search(folded) or _INCOMING_FRONT.search(folded)
    if incoming and incoming.group("party").startswith("opdrachtgever") and _CONTRACTOR.search(folded):
        incoming = None
    if incoming and not _OUTGOING.search(folded[: incoming.start()]):
        return _party_name(incoming.group("party"))
    giving = _GIVING.search(folded)
    if giving and not _OUTGOING.search(folded):
        return _party_name(giving.group("party"))
    looked_up = _LOOKED_UP.search(folded)
    if looked_up:
        raw = looked_up.group("party")
        return _SOURCE_NAMES.get(
            raw, raw if raw.startswith(("sociale", "social", "open", "internet")) else "de " + raw
        )
    if _BOUGHT.search(folded) and _BOUGHT_PEOPLE.search(folded) and not _BOUGHT_NOT.search(folded):
        seller = _SELLER.search(sentence)
        if seller and not _OUTGOING.search(folded):
            return seller.group("party").strip()
    leads = _LEADS.search(folded)
    if leads:
        return (
            f"een leadleverancier ({leads.group('party')})" if leads.group("party") else "een leadleverancier"
        )
    return ""


def _party_name(raw: str) -> str:
    raw = raw.strip()
    if raw in ("brp", "basisregistratie", "basisregistratie personen"):
        return "de Basisregistratie Personen (BRP)"
    if raw in ("uwv", "duo", "svb", "cak", "ciz", "bkr"):
        return "het " + raw.upper() if raw in ("uwv", "cak", "ciz", "bkr") else "de " + raw.upper()
    if raw.startswith(("ouder", "verzorger", "derden")):
        return raw
    return "de " + raw


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


def _name_words(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(name))
    return [w for w in words if len(w) >= 5 and w not in _GENERIC]


def _activity_words(activity: Activity) -> list[str]:
    """The words that name an activity: its name and its recipients' names (a processor such as
    "HuurCheck B.V." ties its agreement to the activity)."""
    words = _name_words(activity.name)
    return words + [w for r in activity.recipients for w in _name_words(r.name) if w not in words]


def _word_weights(passages: list[Passage], register: Register) -> dict[str, float]:
    """Weight of each activity-name word: long and rare in the client's passages (a word in every
    passage, such as "cliënt" at a care provider, says little); the organisation's own name counts 0."""
    own = set(_name_words(register.controller.name)) | set(_name_words(register.client))
    texts = [fold(p.text) for p in passages]
    weights: dict[str, float] = {}
    for activity in register.activities:
        for word in _activity_words(activity):
            share = sum(word in t for t in texts) / len(texts) if texts else 0.0
            weights[word] = 0.0 if word in own else len(word) * (1.0 - share) + 1.0
    return weights


def _activity_of(passage: Passage, sentence: str, register: Register, weights: dict[str, float]) -> str:
    """The activity whose name the sentence, the passage or its document names most ("" when none)."""
    sentence_text, passage_text, document = fold(sentence), fold(passage.text), fold(passage.document)
    best, best_score = "", 0.0
    for activity in register.activities:
        score = 0.0
        for word in _activity_words(activity):
            weight = weights.get(word, 0.0)
            score += weight * (3 * (word in sentence_text) + 2 * (word in document) + (word in passage_text))
        if score > best_score:
            best, best_score = activity.name, score
    return best


def _all_sourced(register: Register) -> bool:
    return bool(register.activities) and all(a.from_other_source for a in register.activities)


def place(document: str, page: int) -> str:
    """Document and page for a register warning: "Bewaartermijnen, p. 2" (no page: the document)."""
    return f"{document}, p. {page}" if page > 0 else document


def short_quote(text: str, limit: int = 160) -> str:
    """A quote for a register warning: whitespace joined, cut at a word after ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


def with_document_sources(register: Register, found: list[OtherSource]) -> Register:
    """``register`` as the documents show it: an activity the documents tie to another source gets that
    source (a passage tied to no activity: every activity). For deciding which elements a statement owes;
    never saved."""
    if not found:
        return register
    everywhere = [o.party for o in found if not o.activity]
    activities = []
    for activity in register.activities:
        parties = [o.party for o in found if o.activity == activity.name] or everywhere
        if activity.source.strip() or not parties:
            activities.append(activity)
        else:
            activities.append(replace(activity, source=", ".join(dict.fromkeys(parties))))
    return replace(register, activities=activities)
