"""What goes with a service when it is deleted, said before and audited one by one.

Every module that keeps objects under a service (the catalog its connections, the
monitors module its monitors and their runs) contributes a :class:`DependentSource` to
``catalog.service_dependents``. The confirmation lists what each one would remove, with
counts; the deletion asks each to remove its objects in the same transaction as the
service, recording an audit record for every object, so nothing disappears unrecorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog import connections
from gyrfalcon.catalog.kinds import ConnectionKind
from gyrfalcon.catalog.models import Service
from gyrfalcon.catalog.schemas import DependentGroup
from gyrfalcon.core.crypto import SecretBox

SERVICE_DEPENDENTS = "catalog.service_dependents"
"""Extension point: :class:`DependentSource` objects, the objects a module keeps under a
service."""

NAMES_SHOWN = 50


class DependentSource(Protocol):
    order: int
    """Removal order, lowest first: objects that refer to connections (monitors to their
    datasource) go before the connections."""

    async def describe(self, session: AsyncSession, service: Service) -> list[DependentGroup]:
        """What would go with ``service``: one group per kind of object, empty ones left out."""
        ...

    async def remove(self, session: AsyncSession, service: Service, *, box: SecretBox) -> None:
        """Delete them, with an audit record each, in the caller's transaction."""
        ...


class ConnectionDependents:
    """The service's connections, of every per-service kind."""

    order = 100

    def __init__(self, kinds: Iterable[ConnectionKind]) -> None:
        self._kinds = [kind for kind in kinds if kind.service_scoped]

    async def _rows(
        self, session: AsyncSession, kind: ConnectionKind, service: Service
    ) -> list[Any]:
        return list(await session.scalars(connections.list_statement(kind, service)))

    async def describe(self, session: AsyncSession, service: Service) -> list[DependentGroup]:
        groups = []
        for kind in self._kinds:
            rows = await self._rows(session, kind, service)
            if rows:
                groups.append(
                    DependentGroup(
                        module="catalog",
                        kind=kind.path,
                        label=f"{kind.label}s",
                        count=len(rows),
                        names=[row.name for row in rows[:NAMES_SHOWN]],
                    )
                )
        return groups

    async def remove(self, session: AsyncSession, service: Service, *, box: SecretBox) -> None:
        for kind in self._kinds:
            for row in await self._rows(session, kind, service):
                await connections.remove_connection(
                    session, kind, box=box, service=service, row=row
                )


async def describe_all(
    session: AsyncSession, service: Service, sources: Iterable[DependentSource]
) -> list[DependentGroup]:
    groups: list[DependentGroup] = []
    for source in sorted(sources, key=lambda source: source.order):
        groups.extend(await source.describe(session, service))
    return groups


async def remove_all(
    session: AsyncSession, service: Service, sources: Iterable[DependentSource], *, box: SecretBox
) -> None:
    for source in sorted(sources, key=lambda source: source.order):
        await source.remove(session, service, box=box)
