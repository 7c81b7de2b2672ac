"""Who may do what: roles, permissions, client assignments and the scopes a user may search.

Every UI handler and CLI command checks on the server side, with the user of the session
(never with a name or scope typed by the user):

* :func:`require` — the user's role grants the permission, and for a client-bound
  permission the user is assigned to that client. Raises :class:`AccessDenied`.
* :func:`resolve_scope` — the scopes one question searches. It fails closed: a malformed
  scope, a wildcard, an unassigned or unknown client all raise; nothing ever widens to
  "all documents".

Decisions:

* Every role may chat in ``algemeen`` and in the clients assigned to it. A *beheerder*
  manages accounts, clients and the audit log but does not see client documents unless
  assigned to a client (an assignment is logged in the audit log like any change).
* A *kennisbeheerder* maintains the general guidance and checklist (scope ``algemeen``).
* Answer cards and the queue of questions without a good answer are kept by a
  *kennisbeheerder* or a *beheerder* (``antwoordkaarten_beheren``).
* A *consultant* works on assigned clients: documents, register, drafts, approvals and
  the Compliancy Check.
* The role ``lokaal`` exists only when the UI runs without login (:func:`auth_mode`): one
  local user with every permission and every client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Literal

from assistant.features.accounts.users import AccountError, Role, User, UserStore, normalize_client
from ingestion.errors import AvgError, ConfigError, ScopeError
from knowledge.scopes import CLIENT_PREFIX, GENERAL_SCOPE, normalize_scope

LOCAL_USERNAME = "lokaal"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class AccessDenied(AvgError):
    """The user may not do this (Dutch message); also raised for any scope that is not allowed."""


class Permission(StrEnum):
    """What a role can allow."""

    CHAT = "chat"
    MANAGE_GUIDANCE = "richtlijnen_beheren"
    MANAGE_CHECKLIST = "checklist_beheren"
    INGEST_CLIENT_DOCUMENTS = "klantdocumenten_beheren"
    MANAGE_REGISTER = "register_beheren"
    DRAFT_STATEMENT = "privacyverklaring_opstellen"
    APPROVE_STATEMENT = "privacyverklaring_goedkeuren"
    RUN_CHECK = "compliancy_check"
    MANAGE_USERS = "gebruikers_beheren"
    MANAGE_CLIENTS = "klanten_beheren"
    VIEW_AUDIT = "auditlog_inzien"
    MANAGE_CARDS = "antwoordkaarten_beheren"


# Permissions that concern one client: with a client, the user must be assigned to it.
CLIENT_BOUND = frozenset(
    {
        Permission.CHAT,
        Permission.INGEST_CLIENT_DOCUMENTS,
        Permission.MANAGE_REGISTER,
        Permission.DRAFT_STATEMENT,
        Permission.APPROVE_STATEMENT,
        Permission.RUN_CHECK,
    }
)
# Of those, the ones that make no sense without a client.
CLIENT_REQUIRED = CLIENT_BOUND - {Permission.CHAT}

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.MEDEWERKER: frozenset({Permission.CHAT}),
    Role.CONSULTANT: frozenset(
        {
            Permission.CHAT,
            Permission.INGEST_CLIENT_DOCUMENTS,
            Permission.MANAGE_REGISTER,
            Permission.DRAFT_STATEMENT,
            Permission.APPROVE_STATEMENT,
            Permission.RUN_CHECK,
        }
    ),
    Role.KENNISBEHEERDER: frozenset(
        {Permission.CHAT, Permission.MANAGE_GUIDANCE, Permission.MANAGE_CHECKLIST, Permission.MANAGE_CARDS}
    ),
    Role.BEHEERDER: frozenset(
        {
            Permission.CHAT,
            Permission.MANAGE_USERS,
            Permission.MANAGE_CLIENTS,
            Permission.VIEW_AUDIT,
            Permission.MANAGE_CARDS,
        }
    ),
    Role.LOKAAL: frozenset(Permission),
}

PERMISSION_LABELS: Mapping[Permission, str] = {
    Permission.CHAT: "vragen stellen",
    Permission.MANAGE_GUIDANCE: "richtlijnen beheren",
    Permission.MANAGE_CHECKLIST: "de checklist beheren",
    Permission.INGEST_CLIENT_DOCUMENTS: "klantdocumenten beheren",
    Permission.MANAGE_REGISTER: "het verwerkingsregister beheren",
    Permission.DRAFT_STATEMENT: "een privacyverklaring opstellen",
    Permission.APPROVE_STATEMENT: "een privacyverklaring goedkeuren",
    Permission.RUN_CHECK: "de Compliancy Check uitvoeren",
    Permission.MANAGE_USERS: "gebruikers beheren",
    Permission.MANAGE_CLIENTS: "klanten beheren",
    Permission.VIEW_AUDIT: "het auditlog inzien",
    Permission.MANAGE_CARDS: "antwoordkaarten en onbeantwoorde vragen beheren",
}


def role_permissions(role: Role) -> frozenset[Permission]:
    """The permissions a role grants."""
    return ROLE_PERMISSIONS.get(role, frozenset())


def client_of(client_or_scope: str) -> str:
    """The canonical client name of a name or ``klant:<naam>``; raises AccessDenied when malformed."""
    try:
        return normalize_client(client_or_scope)
    except AccountError as exc:
        raise AccessDenied(str(exc)) from exc


def may(user: User | None, permission: Permission, client: str | None = None) -> bool:
    """Whether :func:`require` would allow it (for showing or hiding controls)."""
    try:
        require(user, permission, client)
    except AccessDenied:
        return False
    return True


def require(user: User | None, permission: Permission, client: str | None = None) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may use ``permission`` (for ``client``)."""
    if user is None:
        raise AccessDenied("U bent niet ingelogd.")
    if permission not in role_permissions(user.role):
        raise AccessDenied(
            f"U hebt geen toegang tot deze functie: {PERMISSION_LABELS[permission]} "
            f"hoort niet bij de rol {user.role.value}."
        )
    if permission not in CLIENT_BOUND:
        return
    if client is None or client == GENERAL_SCOPE:
        if permission in CLIENT_REQUIRED:
            raise AccessDenied(f"Kies eerst een klant om {PERMISSION_LABELS[permission]}.")
        return
    name = client_of(client)
    if name not in user.clients:
        raise AccessDenied(f"U hebt geen toegang tot klant '{name}'.")


def allowed_clients(user: User) -> list[str]:
    """The clients whose documents the user may search, by name."""
    return sorted(user.clients) if Permission.CHAT in role_permissions(user.role) else []


def allowed_scopes(user: User) -> list[str]:
    """The scopes the user may pick: ``algemeen`` and ``klant:<naam>`` of each assigned client."""
    if Permission.CHAT not in role_permissions(user.role):
        return []
    return [GENERAL_SCOPE, *(CLIENT_PREFIX + name for name in allowed_clients(user))]


def resolve_scope(user: User | None, requested: str) -> list[str]:
    """The scopes a question in ``requested`` searches; raises AccessDenied for anything not allowed.

    ``algemeen`` searches ``["algemeen"]``; an assigned client searches
    ``["klant:<naam>", "algemeen"]``. Malformed scopes, wildcards and unassigned clients raise.
    """
    require(user, Permission.CHAT)
    assert user is not None
    if not isinstance(requested, str):
        raise AccessDenied("Ongeldige kennisbank.")
    try:
        scope = normalize_scope(requested)
    except ScopeError as exc:
        raise AccessDenied(f"Ongeldige kennisbank: {exc}") from exc
    if scope == GENERAL_SCOPE:
        return [GENERAL_SCOPE]
    if scope not in allowed_scopes(user):
        raise AccessDenied(f"U hebt geen toegang tot de kennisbank '{scope}'.")
    return [scope, GENERAL_SCOPE]


def scope_write_permission(scope: str, kind: str = "") -> tuple[Permission, str | None]:
    """The permission (and client) needed to add, replace or retire a document in ``scope``."""
    try:
        scope = normalize_scope(scope)
    except ScopeError as exc:
        raise AccessDenied(f"Ongeldige kennisbank: {exc}") from exc
    if scope == GENERAL_SCOPE:
        permission = Permission.MANAGE_CHECKLIST if kind == "checklist" else Permission.MANAGE_GUIDANCE
        return permission, None
    return Permission.INGEST_CLIENT_DOCUMENTS, scope


def require_document_write(user: User | None, scope: str, kind: str = "") -> None:
    """Raise AccessDenied unless the user may change documents of ``kind`` in ``scope``."""
    permission, client = scope_write_permission(scope, kind)
    require(user, permission, client)


def session_user(users: UserStore, username: str | None) -> User:
    """The account of a logged-in session (gradio's ``request.username``), looked up anew each time."""
    if not username:
        raise AccessDenied("U bent niet ingelogd.")
    user = users.get(username)
    if user is None:
        raise AccessDenied("Uw account bestaat niet (meer). Log opnieuw in.")
    return user


def local_user(clients: Iterable[str] = ()) -> User:
    """The single user of a UI without login: every permission, the given clients."""
    names = frozenset(client_of(c) for c in clients)
    return User(LOCAL_USERNAME, Role.LOKAAL, display_name="Lokale gebruiker", clients=names)


def auth_mode(auth_enabled: bool, user_count: int, host: str) -> Literal["login", "lokaal"]:
    """Whether the UI asks for a login; refuses to serve the network without accounts.

    With ``auth_enabled`` and at least one account: ``login``. Without accounts (or with
    login switched off) only on this computer (a loopback address): ``lokaal``.
    """
    if auth_enabled and user_count > 0:
        return "login"
    if host.strip().lower() in LOOPBACK_HOSTS:
        return "lokaal"
    if auth_enabled:
        raise ConfigError(
            f"De webinterface luistert op {host}, maar er zijn nog geen gebruikers. Maak eerst een beheerder "
            "aan: avg-assistent users add NAAM --rol beheerder"
        )
    raise ConfigError(
        f"Inloggen staat uit (AVG_AUTH_ENABLED=false); dat mag alleen op 127.0.0.1, niet op {host}."
    )
