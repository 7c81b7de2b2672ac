"""Scopes: ``algemeen`` (law and guidance) or ``klant:<naam>`` (one client's documents).

Every scope maps to a stable identifier used for its Chroma collection and its
lexical table. Invalid scopes raise :class:`ScopeError`; nothing ever falls back to
"all documents".
"""

from __future__ import annotations

import hashlib
import re

from ingestion.errors import ScopeError

GENERAL_SCOPE = "algemeen"
CLIENT_PREFIX = "klant:"
#: Letters, digits, spaces and the punctuation of organisation names ("Gemeente X — Sociaal Domein",
#: "Bakker, Jansen & Co", "’t Hoekje"); no slash, colon or quotes that paths or URLs could trip on.
_CLIENT_NAME = re.compile(r"^[\w’][\w .&'’()\-–—,+]{0,79}$", re.UNICODE)


def normalize_scope(scope: str) -> str:
    """Validate a scope string and return its canonical form."""
    scope = scope.strip()
    if scope == GENERAL_SCOPE:
        return scope
    if scope.startswith(CLIENT_PREFIX):
        name = " ".join(scope[len(CLIENT_PREFIX) :].split())
        if _CLIENT_NAME.match(name):
            return CLIENT_PREFIX + name
    raise ScopeError(
        f"Ongeldige scope '{scope}'. Gebruik 'algemeen' of 'klant:<naam>' "
        "(letters, cijfers, spaties en - – — . , & ' ’ + ( ), hoogstens 80 tekens)."
    )


def client_scope(client: str) -> str:
    """The scope of a client by name."""
    return normalize_scope(CLIENT_PREFIX + client)


def scope_ident(scope: str) -> str:
    """A stable identifier usable as Chroma collection name and SQL table suffix."""
    scope = normalize_scope(scope)
    if scope == GENERAL_SCOPE:
        return GENERAL_SCOPE
    name = scope[len(CLIENT_PREFIX) :]
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "klant"
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"klant_{slug}_{digest}"
