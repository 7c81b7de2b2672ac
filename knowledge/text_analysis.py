"""Dutch text analysis for the lexical index: tokenise, fold, drop stopwords, stem.

The same :func:`analyze` runs at index time and at query time, so a stem in a query
always meets the same stem in the index ("verwerkingen" and "verwerking" both become
"verwerk").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_TOKEN = re.compile(r"[a-z0-9]+")

# Snowball's Dutch stopword list plus question words and filler common in staff questions.
DUTCH_STOPWORDS: frozenset[str] = frozenset(
    (
        "aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een "
        "eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in "
        "is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om "
        "omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was "
        "wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou welke welk waar "
        "wanneer waarom hoeveel mag mogen moeten we wij onze jullie precies eigenlijk graag even gewoon "
        "zoals heel erg dient worden bent wel hoe lang zullen zouden kunt hebt moet kan "
    ).split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def fold(text: str) -> str:
    """Lowercase and strip diacritics ("geïdentificeerde" → "geidentificeerde")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plain_words(text: str) -> str:
    """``text`` folded to lower-case letters and digits, one space between words ("woonsoft systems b v"):
    how names and sentences are compared when punctuation must not count."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def tokenize(text: str) -> list[str]:
    """Folded word tokens, stopwords included."""
    return _TOKEN.findall(fold(text))


def stem(token: str) -> str:
    """Dutch Snowball stem of one folded token."""
    stemmed: str = _stemmer().stemWord(token)
    return stemmed


def analyze(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order."""
    return [stem(token) for token in tokenize(text) if token not in DUTCH_STOPWORDS and len(token) > 1]


def analyzed_text(text: str) -> str:
    """``analyze`` joined by spaces: the form stored in the lexical index."""
    return " ".join(analyze(text))
