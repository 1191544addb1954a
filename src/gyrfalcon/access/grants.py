"""Turning a user's roles into the scope each permission reaches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from gyrfalcon.access.models import Grant
from gyrfalcon.access.schemas import ANY, ScopeKind
from gyrfalcon.core.security import NOTHING, ServiceScope


def union(scopes: Iterable[ServiceScope]) -> ServiceScope:
    scopes = list(scopes)
    if len(scopes) == 1:
        return scopes[0]
    everything, services, teams = False, set[str](), set[str]()
    for scope in scopes:
        everything = everything or scope.everything
        services |= scope.services
        teams |= scope.teams
    if everything:
        return ServiceScope(everything=True)
    return ServiceScope(services=frozenset(services), teams=frozenset(teams))


def grant_scope(grant: Grant) -> ServiceScope:
    if grant.scope == ScopeKind.ALL:
        return ServiceScope(everything=True)
    if grant.scope == ScopeKind.TEAMS:
        return ServiceScope(teams=frozenset(grant.targets))
    return ServiceScope(services=frozenset(grant.targets))


@dataclass(frozen=True)
class CompiledGrants:
    """Scopes by (module, action); ``*`` stands for every module or action, and a
    ``write`` grant includes ``read`` (changing what one cannot see makes no sense)."""

    by_permission: dict[tuple[str, str], ServiceScope] = field(default_factory=dict)
    _answers: dict[tuple[str, str], ServiceScope] = field(default_factory=dict, compare=False)
    """Scopes already worked out: every request asks the same few questions."""

    @classmethod
    def of(cls, grants: Iterable[Grant]) -> CompiledGrants:
        collected: defaultdict[tuple[str, str], list[ServiceScope]] = defaultdict(list)
        for grant in grants:
            scope = grant_scope(grant)
            collected[(grant.module, grant.action)].append(scope)
            if grant.action == "write":
                collected[(grant.module, "read")].append(scope)
        return cls({key: union(scopes) for key, scopes in collected.items()})

    def scope(self, module: str, action: str) -> ServiceScope:
        answer = self._answers.get((module, action))
        if answer is None:
            keys = ((module, action), (module, ANY), (ANY, action), (ANY, ANY))
            found = [self.by_permission[key] for key in keys if key in self.by_permission]
            answer = union(found) if found else NOTHING
            self._answers[(module, action)] = answer
        return answer
