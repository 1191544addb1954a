"""Nobody grants what they do not hold.

A user manager (``access:write``) could make themselves admin or create a ``*:*`` role
and take it. Every path that hands out permissions asks :meth:`Granter.ensure_holds`
first: writing a role's grants, giving roles to a user, a team or a directory group,
and adding members to a team (who then hold the team's roles). The rules:

* an admin (the account flag) may hand out anything, and only an admin sets
  ``is_admin`` or changes an admin's account (a user manager could otherwise lock
  every admin out);
* anyone else may hand out a grant only if they hold it themselves, for the same
  module and action (``*`` only if they hold ``*``) over at least the same reach:
  every service takes their holding it on every service, a team takes the team (or
  every service), a service takes that service, its team, or every service.

Taking permissions away needs no more than ``access:write``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.access.grants import CompiledGrants
from gyrfalcon.access.schemas import ScopeKind
from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.errors import Forbidden
from gyrfalcon.core.security import ServiceScope

_ASK = "Ask an admin, or someone who holds it, to give it."


class GrantLike(Protocol):
    """A grant as a role row or a request body holds it."""

    @property
    def module(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def targets(self) -> list[str]: ...


@dataclass(frozen=True)
class Granter:
    """The caller of a change to access, with what they hold."""

    is_admin: bool
    held: CompiledGrants

    def ensure_admin(self, what: str) -> None:
        if not self.is_admin:
            raise Forbidden(f"Only an admin may {what}.")

    async def ensure_holds(
        self, session: AsyncSession, grants: Iterable[GrantLike], *, giving: str
    ) -> None:
        """Raises 403 naming the first grant of ``giving`` the caller does not hold."""
        if self.is_admin:
            return
        for grant in grants:
            held = self.held.scope(grant.module, grant.action)
            if not await _covers(session, held, ScopeKind(grant.scope), grant.targets):
                reach = _describe(ScopeKind(grant.scope), grant.targets)
                raise Forbidden(
                    f"You cannot give {giving}: it grants {grant.module}:{grant.action} "
                    f"{reach}, which you do not hold yourself. {_ASK}"
                )


async def _covers(
    session: AsyncSession, held: ServiceScope, scope: ScopeKind, targets: list[str]
) -> bool:
    if held.everything:
        return True
    if scope is ScopeKind.ALL:
        return False
    if scope is ScopeKind.TEAMS:
        return all(team in held.teams for team in targets)
    for service in targets:
        if not held.allows(service, await catalog.team_of(session, name=service)):
            return False
    return True


def _describe(scope: ScopeKind, targets: list[str]) -> str:
    if scope is ScopeKind.ALL:
        return "on every service"
    return f"on {scope.value} {', '.join(sorted(targets))}"
