"""The register's recipients against the client's documents: one it still names that is no longer used,
and one it does not name at all.

A recipient the register still names while a document says it is no longer used ("Het oude systeem
(CVbank Online) is per 1 april 2025 afgesloten", "we zijn gestopt met Mailgo") shows the register is out
of date, and no processing agreement is needed any more with a party that no longer processes. Only a
sentence in the past or present counts ("wordt per 2027 opgezegd" is a plan), "afgesloten" is not read
beside an agreement or subscription ("een verwerkersovereenkomst afgesloten" concludes one) nor as an
adjective ("afgesloten klantdossiers"), and in "vervangen door" only the party before it is retired.

A party the documents send an activity's data to ("gaan via het opdrachtenportaal naar de aannemer", "alle
uren, contracten en facturen lopen via KidsAdmin", "geven we door aan …", "met de externe supervisor gedeeld",
"levert … aan bij …", an application "dien je in bij …", a message "app je via WhatsApp") or that receives
them ("Kennemer Vorderingen ontvangt van ons …") that no activity of the register names as recipient shows the
register's recipients are incomplete; so does a party by name that only another activity names, sent the data
of an activity that records no recipient at all. The party is a name (capitalised), a kind of recipient
("aannemer", "mentor", "laboratorium") or anyone "extern"; not a role of a processing agreement ("aan
Opdrachtgever"), a country ("naar Polen"), a protocol ("via TLS"), a colleague by first name ("aan Kees"), a
file ("CSV-bestand"), people ("Medewerkers") or the organisation itself. The sentence is bound to an activity
by its words (:mod:`.register_binding`), and only when one activity is clearly meant: its document heading
does not decide (measured in round 16: "Overzicht leveranciers met klant- of personeelsgegevens" bound every
supplier to the personnel records)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.features.privacy.completeness_rules import SILENT
from assistant.features.privacy.countries import countries_in
from assistant.features.privacy.model import Register
from assistant.features.privacy.other_sources import (
    Passage,
    SentenceBinder,
    bind_by_meaning,
    names_itself,
    own_name_words,
    third_party,
)
from assistant.features.privacy.register_binding import bind_activity, is_general, passage_sentences
from knowledge.text_analysis import fold, plain_words

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
#: ... or before it: "we zijn gestopt met Mailgo", "overgestapt van CVbank naar Recruitly", or another
#: system took its place: "versturen we de nieuwsbrief met Sendwave in plaats van MailKoerier".
_RETIRED_BEFORE = (
    r"\b(?:gestopt met|overgestapt van|afscheid genomen van|opgezegd bij|in plaats van)\s+(?:het |de )?"
)
#: "afgesloten" concludes an agreement or subscription; a plan is not yet a change.
_NOT_RETIRED = re.compile(
    r"\b(?:\w*overeenkomst\w*|contract\w*|abonnement\w*|verzekering\w*|wordt|worden|zal|zullen|gaan|gaat|"
    r"willen|binnenkort|gepland|voornemen)\b"
)
#: Data that go somewhere: "gaan … naar", "lopen via", "sturen we … aan".
_FLOW = re.compile(
    r"\b(?:gaan|gaat|ging|gingen|gaan\s+ook|lopen|loopt|liep|sturen|stuurt|versturen|verstuurd|verstuurt|"
    r"verzenden|verzendt|verzonden|gestuurd|"
    r"doorgestuurd|doorgegeven|doorgeven|verstrekken|verstrekt|gedeeld|delen|"
    # "dan app je de tolk via WhatsApp", "mailen we de lijst naar …", "uploaden we de e-mailadressen naar …"
    r"app|appen|appt|geappt|appte|mailen|mailt|gemaild|mailde|uploaden|upload|uploadt|geupload|geüpload|"
    r"exporteren|exporteert|geexporteerd|geëxporteerd|overgedragen|overdragen)\b"
)
#: Separable verbs of a flow, the particle after the object: "geven wij door aan Zuiderstroom Energie",
#: "levert MeetMoment de ROM-gegevens aan bij Stichting Uitkomsten GGZ".
_SEPARABLE_FLOW = re.compile(
    r"\b(?:geven|geeft|gaf|gaven)\b.*\bdoor\b|\b(?:leveren|levert|leverde|leverden)\b.*\baan\b"
    # an application with the data: "de aanvraag dien je in bij de Raad", "vragen met uw BSN een toevoeging
    # aan bij …"
    r"|\b(?:dienen|dient|dien|diende)\b.*\bin\b|\b(?:ingediend|indienen|aangevraagd|aanvragen)\b"
    r"|\b(?:vragen|vraagt|vroegen|vroeg)\b.*\baan\b"
    # a claim handed over: "dan dragen we de vordering over aan Incassobureau …"
    r"|\b(?:dragen|draagt|droeg|droegen)\b.*\bover\b"
)
#: Sharing: "worden met de externe supervisor gedeeld" (the party after "met").
_SHARED = re.compile(r"\b(?:gedeeld|delen|deelt|deelden)\b")
#: The party after "naar/aan/via" (also "met" when shared, "bij" after "aan"): a capitalised name, a kind
#: of recipient, or anyone "extern" ("de externe supervisor").
_PARTY = re.compile(
    r"\b(?P<prep>naar|aan(?:\s+bij)?|via|(?<!tot en )met|bij)\s+(?:de\s+|het\s+|een\s+|onze\s+|ons\s+)?"
    r"(?P<external>externe?\s+)?"
    r"(?P<party>[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2}|[a-z][\w-]*)"
)
#: The party as the subject that receives: "Kennemer Vorderingen ontvangt van ons de naam …", "De GGD
#: ontvangt klassenlijsten". A single capitalised word at the start of a sentence may be any noun
#: ("Ouders ontvangen …"): it counts only as a name of several words, in capitals (GGD) or with a capital
#: inside (SunVolt).
_RECEIVER = re.compile(
    r"^\s*(?:(?:De|Het)\s+)?(?P<party>[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2})\s+"
    r"(?:ontvangt|ontvangen|ontving|ontvingen|krijgt|krijgen|kreeg|kregen)\b"
)
_NAME_LIKE = re.compile(r"\S+\s+\S|^[A-Z0-9&-]{2,}$|^[A-Z]\w*[A-Z]")
_RECIPIENT_KINDS = frozenset(
    """aannemer aannemers mentor mentoren school scholen laboratorium lab koerier gemeente verzekeraar
    zorgverzekeraar accountant boekhouder administratiekantoor bank deurwaarder incassobureau huisarts
    specialist politie uwv belastingdienst ggd drukker drukkerij bezorger vervoerder transporteur
    crematorium apotheek werkgever opdrachtgever inlener pensioenfonds arbodienst bedrijfsarts notaris
    advocaat makelaar hostingpartij leverancier installateur onderaannemer taxateur eigenaar
    verhuurder consultatiebureau jgz jeugdarts verloskundige verloskundigen ziekenhuis zorgkantoor
    wijkteam verwijzer verwijzers hulpverlener schuldhulpverlening reclassering jeugdzorg
    zorgverzekeraars""".split()
)
#: Capitalised words that are no party: the roles of a processing agreement ("stuurt hij door aan
#: Opdrachtgever"), protocols ("loopt via TLS", "gaat open via Bluetooth"), the supervisory authority a
#: breach is reported to ("melding aan de Autoriteit Persoonsgegevens"), pronouns.
_NOT_A_PARTY = frozenset(
    """opdrachtgever verwerker verwerkingsverantwoordelijke klant partijen betrokkene betrokkenen subverwerker
    tls ssl vpn https sftp api mfa sso bluetooth wifi nfc autoriteit europa amerika azie afrika u ons onze wij
    we zij ze hij""".split()
)
_CONDITION = re.compile(r"^[^,;]*,\s*(?:dan|daarna)\b")
_NEGATED = re.compile(r"\b(?:niet|nooit|geen|niets|nergens)\b")
#: An aside in brackets (its "geen" is not the flow's).
_ASIDE = re.compile(r"\([^)]*\)")
#: A data subject's request handed on ("verzoeken om inzage … sturen we door naar de werkgever"): the
#: controller answers it; no recipient of the activity's data.
_RIGHTS_REQUEST = re.compile(
    r"\b(?:verzoek\w* (?:om|tot) (?:inzage|verwijdering|correctie|rectificatie)|inzageverzoek\w*"
    r"|verwijderverzoek\w*)"
)
#: A clause about someone or something else, whose "niet" is not the flow's: "klanten die niet hebben
#: betaald, zet Petra in de appgroep …", "…, zodat de andere campings weten wie ze niet moeten aannemen".
_SUBCLAUSE = re.compile(r"\b(?:zodat|omdat|die|wie)\b[^,;]*")
#: A first name alone ("geeft de namen door aan Kees", "gaat naar Sanne"): a colleague, not a recipient.
_FIRST_NAME = re.compile(r"^[A-Z][a-z]{2,6}$")
#: A thing named with a capitalised prefix ("via een CSV-bestand", "per PDF-formulier"), not a party.
_THING = re.compile(r"^[A-Z]{2,5}-[a-z]+$")
#: Legal forms and punctuation left out of a company name for comparing.
_LEGAL_FORM = re.compile(r"\b(?:b v|bv|n v|nv|v o f|vof|llc|inc|ltd|gmbh|s a|corporation|platforms|ou)\b")


def company_key(name: str) -> str:
    """A company name without legal form, brackets and punctuation (for comparing names)."""
    return " ".join(_LEGAL_FORM.sub(" ", plain_words(re.sub(r"\(.*?\)", " ", name))).split())


def unrecorded_recipients(
    passages: Iterable[Passage], register: Register, binder: SentenceBinder | None = None
) -> list[tuple[str, str, Passage, str]]:
    """(activity, party, passage, sentence) for each party the documents send an activity's data to and no
    activity of the register names as recipient, or only another one while this activity names none (see
    the module docstring)."""
    names = [r.name for a in register.activities for r in a.recipients]
    names += [t.recipient for a in register.activities for t in a.transfers]
    recorded = plain_words(" ".join(names)).split()
    own = own_name_words(register)
    found = []
    for passage, sentence in passage_sentences(passages):
        folded = fold(sentence)
        # "betaalt een cliënt niet, dan dragen we de vordering over aan …": the condition's "niet" is not
        # the flow's
        # "(of per e-mail, als de verwijzer geen account heeft)": an aside's "geen" is not the flow's either
        main = _ASIDE.sub(" ", folded)
        if _NEGATED.search(_SUBCLAUSE.sub(" ", _CONDITION.sub("", main))) or _RIGHTS_REQUEST.search(folded):
            continue
        # a party in a negated aside is none: "naar de coördinator (niet naar de verwijzer)"
        negated_aside = any(_NEGATED.search(fold(a)) for a in _ASIDE.findall(sentence))
        parties = _parties(_ASIDE.sub(" ", sentence), folded) if negated_aside else _parties(sentence, folded)
        # "zoekt nieuwe tolken op … via LinkedIn en mailt ze": where the data come from, not where they go
        source = company_key(third_party(sentence)) if parties else ""
        for party, external in parties:
            key = company_key(party)
            if key and source and key in source:
                continue
            kind = party[0].islower()
            if not key or (kind and not external and key not in _RECIPIENT_KINDS):
                continue
            if key.split()[0] in _NOT_A_PARTY or len(key) < 3 or _no_party(party, key, own):
                continue
            if countries_in(key):
                continue  # "Joanna gaat naar Polen": a trip, not a recipient
            # a kind ("basisschool") is named by a recorded word of that kind; a name ("Sportschool De Riet")
            # only by its own first word ("Sportivo Apps" is another party)
            first = key.split()[0]
            elsewhere = any(_same_kind(first, w) if kind else first == w for w in recorded)
            if elsewhere and kind:
                continue  # the register names it (or its kind) somewhere ("basisschool")
            activity = bind_by_meaning(binder, passage, sentence) or bind_activity(sentence, register)
            # a party named for another activity counts only for an activity that records no recipient at
            # all ("Hofstad UMC" recorded for the lab's results, the research export records none); where
            # the activity has recipients, the sentence is as likely about the other one
            if activity is not None and not (elsewhere and (activity.recipients or activity.transfers)):
                found.append((activity.name, party, passage, sentence))
    return found


def _same_kind(party: str, recorded: str) -> bool:
    """Whether a recorded word names the party's first word or its kind: "basisschool" names "school",
    "drukkerij" names "drukker"; "incasso" (of "onze bank (SEPA-incasso)") does not name "incassobureau"."""
    return party in recorded or (party[:5] in recorded and abs(len(party) - len(recorded)) <= 3)


def _no_party(party: str, key: str, own: list[str]) -> bool:
    """A first name alone, a thing ("CSV-bestand"), a general word ("Medewerkers") or the organisation
    itself ("SMA Middenveld", "de Vereniging" of "Voetbalvereniging Sparta")."""
    # a well-known service is no colleague, however short its name ("naar Meta en Google", "via Mollie")
    first_name = _FIRST_NAME.match(party) is not None and not SILENT["doorgifte"].search(fold(party))
    if first_name or _THING.search(party) or any(is_general(w) for w in key.split()):
        return True
    return names_itself(key.split(), own)


#: A department or the manager of a named organisation: "naar de afdeling Voortplantingsgeneeskunde van
#: Hofstad UMC" sends to Hofstad UMC, "naar de beheerder van Parc De Leemkuil en naar de afdeling
#: belastingen van de gemeente Waalwijk" to the park and the municipality.
_DEPARTMENT = re.compile(
    r"\b(?:de\s+)?(?:(?:afdeling|vakgroep|dienst)\s+(?:[A-Z]?[\w-]+\s+){0,2}|(?:beheerder|exploitant|directie)\s+)"
    r"van\s+(?:de\s+|het\s+)?(?=[A-Z]|gemeente\b)"
)


#: A named group chat of other organisations that gets the data: "zet de naam en het kenteken in de
#: appgroep Ondernemers Kop van Goeree", "zet Petra in de appgroep 'Dierenartsen Vechtdal'".
_GROUP_CHAT = re.compile(
    r"\bin\s+(?:de|onze|een|die)\s+(?:whats)?app-?groep\s+['‘\"]?"
    r"(?P<name>[A-Z][\w&-]*(?:\s+(?:[A-Z][\w&-]*|van|de|der|den|en|aan)){0,4})"
)
_POSTED = re.compile(
    r"\b(?:zet|zetten|zette|gezet|plaats\w*|geplaatst|post\w*|gepost|deel\w*|gedeeld|meld\w*|gemeld|stuur\w*"
    r"|gestuurd|app|appen|appt|geappt)\b"
)


def _parties(sentence: str, folded: str) -> list[tuple[str, bool]]:
    """(party, said to be external) for each party ``sentence`` sends data to or that receives them."""
    sentence = _DEPARTMENT.sub("", sentence)
    parties = []
    group = _GROUP_CHAT.search(sentence)
    if group and _POSTED.search(folded):
        name = re.sub(r"(?:\s+(?:van|de|der|den|en|aan))+$", "", group["name"])
        parties.append((f"appgroep {name}", True))
    receiver = _RECEIVER.match(sentence)
    if receiver and _NAME_LIKE.search(receiver["party"]):
        parties.append((receiver["party"], False))
    flow, separable, shared = _FLOW.search(folded), _SEPARABLE_FLOW.search(folded), _SHARED.search(folded)
    if not (flow or separable or shared):
        return parties
    for match in _PARTY.finditer(sentence):
        preposition = match["prep"]
        if (preposition == "met" and not shared) or (preposition == "bij" and not separable):
            continue
        # "Incassobureau Waalkant B.V.": the legal form's first letter is no part of the name; "met De
        # Kromme Wilg": the article is no part of it either
        party = re.sub(r"^(?:De|Het)\s+(?=[A-Z])", "", re.sub(r"\s+[A-Z]$", "", match["party"]))
        parties.append((party, bool(match["external"])))
    return parties


def retired_in_documents(
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
    for passage, sentence in passage_sentences(passages):
        words = plain_words(sentence)
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
