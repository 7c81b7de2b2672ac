"""Who sees what of the portfolio (the rules of :mod:`assistant.features.accounts.access`).

* A consultant sees the rows and the content (measures, notes, passage diffs) of the clients
  assigned to them (permission ``compliancy_check`` for that client).
* A beheerder (``klanten_beheren``) sees the rows of every client — names, dates and counts —
  and content only of a client assigned to them (which a beheerder's role does not grant, so none).
* ``None`` is the CLI operator, who may see everything.
"""

from __future__ import annotations

from assistant.features.accounts.access import AccessDenied, Permission, may, require, role_permissions
from assistant.features.accounts.users import User


def overview_clients(user: User | None, clients: list[str]) -> list[str]:
    """The clients whose overview row ``user`` may see."""
    if user is None or Permission.MANAGE_CLIENTS in role_permissions(user.role):
        return list(clients)
    return [c for c in clients if may(user, Permission.RUN_CHECK, c)]


def may_see_content(user: User | None, client: str) -> bool:
    """Whether ``user`` may see the client's actions and alerts (not only counts)."""
    return user is None or may(user, Permission.RUN_CHECK, client)


def require_content(user: User | None, client: str) -> None:
    """Raise AccessDenied unless ``user`` may see and change the client's actions and alerts."""
    if user is not None:
        require(user, Permission.RUN_CHECK, client)


def require_subscription(user: User | None, client: str) -> None:
    """Raise AccessDenied unless ``user`` may set the client's subscription (beheerder or its consultant)."""
    if user is None or Permission.MANAGE_CLIENTS in role_permissions(user.role):
        return
    try:
        require(user, Permission.RUN_CHECK, client)
    except AccessDenied as exc:
        raise AccessDenied(f"U mag het abonnement van klant '{client}' niet wijzigen: {exc}") from exc
