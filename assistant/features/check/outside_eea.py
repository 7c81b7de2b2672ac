"""Known services of providers outside the EEA, and where a client's text names them.

The list is a knowledge asset of the consultancy, shipped as data (``data/diensten_buiten_eer.yaml``, its
header documents the fields). A service marked ``eu: grens`` (an EU Data Boundary) is only a point of
attention; one marked ``eu: regio`` is no transfer when the same sentence names a place in the EU/EEA.
A sentence that says a service is not used ("delen via WhatsApp is niet toegestaan", "geen privé-WhatsApp"),
names only somebody's address at it ("een extern Gmail-adres") or tells of an incident or a topic discussed
("iemand zet per ongeluk een ledenlijst in een WhatsApp-groep") is no mention.
A platform marked ``publicatie: true`` (a social network) is no transfer when the sentence is about
publishing on it ("foto's plaatsen wij op Instagram"): putting information online is a publication, not
a transfer to a third country (CJEU C-101/01 *Lindqvist*); a pixel, an advertising audience or messages
sent through the platform still are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ingestion.errors import ConfigError
from knowledge.text_analysis import fold

SERVICES_RESOURCE = "data/diensten_buiten_eer.yaml"
EU_BOUNDARY = "grens"
EU_REGION = "regio"
#: A place in the EU/EEA named in the sentence (for services with a selectable EU region).
_EU_PLACE = re.compile(
    r"\b(?:amsterdam|nederland|eemshaven|frankfurt|duitsland|dublin|ierland|parijs|frankrijk|stockholm|"
    r"europa|europese|eu|eer|west europe|west-europa|eu-regio|eu regio)\b"
)
#: Publishing on a platform: a publication, not a transfer (for services with ``publicatie: true``).
_PUBLISHING = re.compile(
    r"\b(?:plaats\w*|geplaatst|publiceer\w*|publiceren|gepubliceerd|post\w*|gepost|"
    r"pagina\w*|account|kanaal|foto\w*|video\w*|filmpje\w*|"
    # "de time-lapse van de bouw gebruiken wij soms voor Instagram", "beelden van de voorstelling"
    r"time ?lapse\w*|beeld\w*|opname\w*|reels?|story|stories)\b"
)
#: An account name ("Facebook en Instagram (@heidezoom)"): the organisation's own public page.
_HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_.]{2,}")
#: A sentence that says the service is not used (for this): "delen via WhatsApp is niet toegestaan",
#: "sturen we niet door via WhatsApp", "rapporten worden nooit gedeeld via WhatsApp", "wij gebruiken geen
#: Google Analytics".
_NOT_USED = re.compile(
    r"\bniet\s+(?:toegestaan|toegelaten|de\s+bedoeling)\b|\bverboden\b|\b(?:mag|mogen)\s+(?:\w+\s+){0,3}niet\b"
    r"|\b(?:niet|nooit)\s+(?:\w+\s+){0,2}via\b|\b(?:gebruiken|gebruikt|gebruik)\s+(?:wij|we|hij|zij|ze|je|u)?\s*(?:geen|niet)\b"
    r"|\bgeen\s+gebruik\b"
    # "Geen privé-WhatsApp", "Klantgegevens gaan niet in je eigen notities of privé-WhatsApp"
    r"|\bgeen\s+prive\b|\bgaan\s+niet\s+(?:in|via|naar)\b"
)
#: An incident or a topic for discussion, not a service the organisation uses: "iemand zet per ongeluk een
#: lijst met leden in een WhatsApp-groep", "een vrijwilliger heeft een foto in de WhatsApp-groep gezet"
#: (told as an incident), "twee keer per jaar wordt een privacythema besproken (… WhatsApp …)".
_INCIDENT = re.compile(
    r"\b(?:per\s+ongeluk|incident\w*|datalek\w*|gelekt|privacythema\w*|thema\s+besproken)\b"
    r"|\b(?:iemand|een\s+(?:\w+\s+)?(?:vrijwilliger|medewerker|collega|trainer|docent|leerkracht|ouder|stagiair)"
    r"\w*)\b(?:\s+\S+){0,4}\s+heeft\s+(?:\S+\s+){0,14}(?:gezet|geplaatst|gestuurd|gedeeld|doorgestuurd)\b"
)
#: Where a sentence turns to another statement ("…; …", "… maar …"); commas stay (they join lists).
_CLAUSES = re.compile(r"\s*;\s*|\s*:\s+|,?\s+maar\s+")
#: ... unless data go to the platform by other means than the publication itself.
_PLATFORM_DATA = re.compile(
    r"\b(?:pixel\w*|tracking|advertenti\w*|adverteren|doelgroep\w*|audience\w*|klantenlijst\w*|"
    r"chat\w*|koppel\w*|upload\w*|messenger)\b"
)
#: Messages exchanged with people are data; the organisation's own posts are a publication ("wij plaatsen
#: nieuw aanbod en verkocht-berichten op Instagram").
_MESSAGES = re.compile(r"\bberichten\b")
_OWN_POSTS = re.compile(r"\b(?:plaats|post)\w* (?:\S+ ){0,4}berichten\b")
#: The service named only as what is not used: "Stuur ouders geen sms of WhatsApp vanaf je privénummer".
_NONE_OF = r"\bgeen (?:[a-z0-9]+ (?:of|en|noch) )?"


@dataclass(frozen=True)
class Service:
    """One known service of a provider outside the EEA."""

    name: str
    aliases: tuple[str, ...]
    company: str
    country: str
    eu: str = ""
    note: str = ""
    publication: bool = False

    def words(self) -> list[str]:
        """Folded words that identify the service or its company in a text (for matching the register)."""
        company = re.sub(r"\b(llc|inc|corporation|ltd|sl|platforms)\b", " ", _fold(self.company))
        first = company.split()[0] if company.split() else ""
        return list(dict.fromkeys([*self.aliases, _fold(self.name), *([first] if len(first) >= 4 else [])]))


@dataclass(frozen=True)
class ServiceMention:
    """A sentence of a client's document that names a known service."""

    service: Service
    sentence: str
    transfer: bool  # False: the provider keeps it in the EU (boundary) or the sentence names an EU place


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9.]+", " ", fold(text)).replace(". ", " ").split()).strip(".")


@lru_cache(maxsize=1)
def known_services() -> tuple[Service, ...]:
    """The shipped list; a Dutch error when it is malformed."""
    text = resources.files("assistant.features.check").joinpath(SERVICES_RESOURCE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        items = data["diensten"]
        return tuple(
            Service(
                name=str(item["naam"]),
                aliases=tuple(_fold(str(a)) for a in item["namen"]),
                company=str(item["bedrijf"]),
                country=str(item["land"]),
                eu=str(item.get("eu") or ""),
                note=str(item.get("noot") or ""),
                publication=bool(item.get("publicatie")),
            )
            for item in items
        )
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        problem = f"De lijst met diensten buiten de EER ({SERVICES_RESOURCE}) is ongeldig: {exc}"
        raise ConfigError(problem) from exc


def _names(alias: str, folded: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", folded) is not None


def mentions(sentence: str, services: tuple[Service, ...] | None = None) -> list[ServiceMention]:
    """The known services ``sentence`` names (one mention per service)."""
    folded = _fold(sentence)
    if _INCIDENT.search(folded):
        return []
    # "delen via WhatsApp is niet toegestaan; afspraken staan in Google Agenda": only the clause that
    # forbids a service leaves it out
    used = " ; ".join(c for c in map(_fold, _CLAUSES.split(sentence)) if not _NOT_USED.search(c))
    found = []
    for service in services if services is not None else known_services():
        named = [alias for alias in service.aliases if _names(alias, used)]
        if not named or all(re.search(_NONE_OF + re.escape(alias) + r"\b", used) for alias in named):
            continue
        if all(
            re.search(rf"(?<![a-z0-9]){re.escape(a)}[ -]?adres", folded)
            for a in service.aliases
            if _names(a, folded)
        ):
            continue  # "een extern Gmail-adres": somebody's address, not a service the client uses
        transfer = not (
            service.eu == EU_BOUNDARY
            or (service.eu == EU_REGION and _EU_PLACE.search(folded))
            or (
                service.publication
                and (_PUBLISHING.search(folded) or _HANDLE.search(sentence))
                and not _PLATFORM_DATA.search(folded)
                and not (_MESSAGES.search(folded) and not _OWN_POSTS.search(folded))
            )
        )
        found.append(ServiceMention(service, " ".join(sentence.split()), transfer))
    return found


def names_service(text: str, service: Service) -> bool:
    """True when ``text`` names the service or its company (e.g. a register recipient or transfer)."""
    folded = _fold(text)
    return any(_names(word, folded) for word in service.words())
