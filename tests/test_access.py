"""Permissions: the role × permission matrix, client assignments, fail-closed scopes, auth mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.features.accounts.access import (
    CLIENT_REQUIRED,
    AccessDenied,
    Permission,
    allowed_scopes,
    auth_mode,
    local_user,
    may,
    require,
    require_document_write,
    resolve_scope,
    role_permissions,
    session_user,
)
from assistant.features.accounts.users import Role, ScryptParams, User, UserStore
from ingestion.errors import ConfigError

P = Permission
EXPECTED = {
    Role.MEDEWERKER: {P.CHAT},
    Role.CONSULTANT: {
        P.CHAT,
        P.INGEST_CLIENT_DOCUMENTS,
        P.MANAGE_REGISTER,
        P.DRAFT_STATEMENT,
        P.APPROVE_STATEMENT,
        P.RUN_CHECK,
    },
    Role.KENNISBEHEERDER: {P.CHAT, P.MANAGE_GUIDANCE, P.MANAGE_CHECKLIST, P.MANAGE_CARDS},
    Role.BEHEERDER: {P.CHAT, P.MANAGE_USERS, P.MANAGE_CLIENTS, P.VIEW_AUDIT, P.MANAGE_CARDS},
}


def user(role: Role, *clients: str) -> User:
    return User(f"test-{role.value}", role, clients=frozenset(clients))


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_permission_matrix(role: Role, permission: Permission):
    someone = user(role, "Webshop Noord")
    client = "Webshop Noord" if permission in CLIENT_REQUIRED else None
    assert (permission in role_permissions(role)) == (permission in EXPECTED[role])
    if permission in EXPECTED[role]:
        require(someone, permission, client)
        assert may(someone, permission, client)
    else:
        with pytest.raises(AccessDenied, match=f"hoort niet bij de rol {role.value}"):
            require(someone, permission, client)
        assert not may(someone, permission, client)


def test_local_role_has_everything():
    assert role_permissions(Role.LOKAAL) == frozenset(Permission)


def test_client_bound_permissions_need_the_assignment():
    consultant = user(Role.CONSULTANT, "Webshop Noord")
    require(consultant, P.DRAFT_STATEMENT, "Webshop Noord")
    require(consultant, P.RUN_CHECK, "klant:Webshop Noord")
    with pytest.raises(AccessDenied, match="geen toegang tot klant 'Bakkerij Zuid'"):
        require(consultant, P.DRAFT_STATEMENT, "Bakkerij Zuid")
    with pytest.raises(AccessDenied, match="Kies eerst een klant"):
        require(consultant, P.MANAGE_REGISTER)
    with pytest.raises(AccessDenied, match="Ongeldige klantnaam"):
        require(consultant, P.MANAGE_REGISTER, "klant:*")
    with pytest.raises(AccessDenied, match="niet ingelogd"):
        require(None, P.CHAT)
    # global permissions ignore the client: a beheerder archives a client without seeing it
    require(user(Role.BEHEERDER), P.MANAGE_CLIENTS, "Bakkerij Zuid")


def test_document_write_permissions():
    require_document_write(user(Role.KENNISBEHEERDER), "algemeen", kind="richtlijn")
    require_document_write(user(Role.KENNISBEHEERDER), "algemeen", kind="checklist")
    require_document_write(user(Role.CONSULTANT, "Webshop Noord"), "klant:Webshop Noord")
    for someone, scope in [
        (user(Role.CONSULTANT, "Webshop Noord"), "algemeen"),
        (user(Role.CONSULTANT, "Webshop Noord"), "klant:Bakkerij Zuid"),
        (user(Role.KENNISBEHEERDER), "klant:Webshop Noord"),
        (user(Role.MEDEWERKER, "Webshop Noord"), "klant:Webshop Noord"),
        (user(Role.BEHEERDER), "algemeen"),
        (user(Role.KENNISBEHEERDER), "alles"),
    ]:
        with pytest.raises(AccessDenied):
            require_document_write(someone, scope)


def test_allowed_scopes_are_algemeen_plus_assigned_clients():
    assert allowed_scopes(user(Role.MEDEWERKER)) == ["algemeen"]
    assert allowed_scopes(user(Role.MEDEWERKER, "B", "A")) == ["algemeen", "klant:A", "klant:B"]
    assert allowed_scopes(user(Role.BEHEERDER)) == ["algemeen"]  # beheerder sees no client by default


def test_resolve_scope_for_allowed_scopes():
    medewerker = user(Role.MEDEWERKER, "Webshop Noord")
    assert resolve_scope(medewerker, "algemeen") == ["algemeen"]
    assert resolve_scope(medewerker, " algemeen ") == ["algemeen"]
    assert resolve_scope(medewerker, "klant:Webshop Noord") == ["klant:Webshop Noord", "algemeen"]
    assert resolve_scope(medewerker, "klant:  Webshop   Noord ") == ["klant:Webshop Noord", "algemeen"]


@pytest.mark.parametrize(
    "requested",
    [
        "klant:Bakkerij Zuid",  # exists, but not assigned
        "klant:webshop noord",  # other spelling of an assigned client is another client
        "klant:Onbekend",
        "Webshop Noord",  # a bare name is not a scope
        "alles",
        "*",
        "klant:*",
        "klant:%",
        "klant:",
        "",
        "   ",
        "ALGEMEEN",
        "algemeen,klant:Bakkerij Zuid",
        "klant:Webshop Noord,klant:Bakkerij Zuid",
        "klant:Bakkerij Zuid' OR '1'='1",
        "klant:Bakkerij Zuid' --",
        "' OR 1=1 --",
        "algemeen; DROP TABLE documents",
        "klant:Webshop Noord\x00klant:Bakkerij Zuid",
        "klant:../Bakkerij Zuid",
        "klant:" + "x" * 200,
    ],
)
def test_resolve_scope_fails_closed(requested: str):
    medewerker = user(Role.MEDEWERKER, "Webshop Noord")
    with pytest.raises(AccessDenied):
        resolve_scope(medewerker, requested)


@pytest.mark.parametrize("requested", [None, ["algemeen"], 42])
def test_resolve_scope_rejects_non_strings(requested):
    with pytest.raises(AccessDenied):
        resolve_scope(user(Role.MEDEWERKER), requested)


def test_resolve_scope_needs_a_user():
    with pytest.raises(AccessDenied, match="niet ingelogd"):
        resolve_scope(None, "algemeen")


def test_session_user_is_looked_up_each_time(tmp_path: Path):
    store = UserStore(tmp_path / "u.sqlite3", kdf=ScryptParams(log2_n=8, r=8, p=1))
    store.add("anna", "medewerker", "een lang wachtwoord", clients=["Webshop Noord"])
    assert session_user(store, "anna").clients == frozenset({"Webshop Noord"})
    store.unassign("anna", "Webshop Noord")
    assert resolve_scope(session_user(store, "anna"), "algemeen") == ["algemeen"]
    with pytest.raises(AccessDenied):
        resolve_scope(session_user(store, "anna"), "klant:Webshop Noord")
    store.remove("anna")
    with pytest.raises(AccessDenied, match="bestaat niet"):
        session_user(store, "anna")
    with pytest.raises(AccessDenied, match="niet ingelogd"):
        session_user(store, None)


def test_local_user_and_auth_mode():
    local = local_user(["Webshop Noord"])
    assert resolve_scope(local, "klant:Webshop Noord") == ["klant:Webshop Noord", "algemeen"]
    with pytest.raises(AccessDenied):
        resolve_scope(local, "klant:Bakkerij Zuid")
    assert auth_mode(True, 2, "0.0.0.0") == "login"
    assert auth_mode(True, 0, "127.0.0.1") == "lokaal"
    assert auth_mode(False, 3, "localhost") == "lokaal"
    with pytest.raises(ConfigError, match="nog geen gebruikers"):
        auth_mode(True, 0, "0.0.0.0")
    with pytest.raises(ConfigError, match="Inloggen staat uit"):
        auth_mode(False, 3, "192.168.1.10")
