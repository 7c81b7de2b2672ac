"""Client names as organisations write them are valid scopes; separators of paths and scopes are not."""

from __future__ import annotations

import pytest

from ingestion.errors import ScopeError
from knowledge.scopes import client_scope, normalize_scope, scope_ident


@pytest.mark.parametrize(
    "name",
    ["Gemeente Lindewaard — Sociaal Domein", "Bakker, Jansen & Co", "’t Hoekje", "Dalen–Kroes (Ede)", "A+B"],
)
def test_organisation_names_are_valid(name: str) -> None:
    assert client_scope(name) == "klant:" + name
    assert scope_ident(client_scope(name)) != scope_ident(client_scope(name + " B.V."))


@pytest.mark.parametrize("name", ["a/b", "x:y", 'De "Beste"', "", "-start", "a" * 81])
def test_path_and_scope_separators_are_refused_in_dutch(name: str) -> None:
    with pytest.raises(ScopeError, match="Ongeldige scope"):
        normalize_scope("klant:" + name)
