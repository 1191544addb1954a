"""The health of services: each connection's last test, and what other modules say.

A connection keeps the result of its last test of the saved definition, by hand or on
the schedule (``catalog.scheduled_tests``). A service's health sums its connections'
results; other modules add what they know of it (alerting monitors, dead jobs) through
the ``catalog.service_signals`` extension point, each shown only to a caller who may
read that module for the service.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.models import ConnectionModel, ServiceConnectionMixin
from gyrfalcon.catalog.schemas import (
    ConnectionTestResult,
    FailingConnection,
    LastTest,
    ServiceHealth,
    ServiceRead,
    ServiceSignal,
)
from gyrfalcon.core.revisions import bump
from gyrfalcon.core.security import Viewer

SERVICE_SIGNALS = "catalog.service_signals"
"""Extension point: :class:`SignalSource` objects, what a module knows of services'
health (the monitors module: monitors alerting or in error)."""

CATALOG_REVISION = "catalog"
"""Bumped by every change that a service read shows (the service, its connections'
counts and test states)."""

_MESSAGE_LIMIT = 2000


class SignalSource(Protocol):
    module: str
    """Whose read permission a caller needs to see these signals."""

    async def signals(self, session: AsyncSession) -> dict[str, list[ServiceSignal]]:
        """The signals of every service that has one, by service name."""
        ...


def last_test(row: ConnectionModel) -> LastTest | None:
    if row.tested_at is None or row.test_ok is None:
        return None
    return LastTest(tested_at=row.tested_at, ok=row.test_ok, message=row.test_message or "")


async def record_test(
    session: AsyncSession, row: ConnectionModel, result: ConnectionTestResult, *, now: datetime
) -> None:
    """Keep ``result`` as the connection's last test and commit.

    The catalog's cached reads show whether each connection passes, so only a change of
    outcome or wording bumps their revision, not every scheduled round."""
    message = result.message[:_MESSAGE_LIMIT]
    changed = row.test_ok is not result.ok or (row.test_message or "") != message
    row.tested_at = now
    row.test_ok = result.ok
    row.test_message = message
    if changed and isinstance(row, ServiceConnectionMixin):
        await bump(session, CATALOG_REVISION)
    await session.commit()


async def health_by_service(
    session: AsyncSession, models: dict[str, type[ServiceConnectionMixin]]
) -> dict[int, ServiceHealth]:
    """Every service's health from its connections' last tests, by service id."""
    failing: dict[int, list[FailingConnection]] = defaultdict(list)
    passed: dict[int, int] = defaultdict(int)
    untested: dict[int, int] = defaultdict(int)
    for kind, model in models.items():
        rows = await session.execute(
            select(model.service_id, model.id, model.name, model.test_ok, model.test_message)
        )
        for service_id, connection_id, name, ok, message in rows:
            if ok is None:
                untested[service_id] += 1
            elif ok:
                passed[service_id] += 1
            else:
                failing[service_id].append(
                    FailingConnection(kind=kind, id=connection_id, name=name, message=message or "")
                )
    services = set(failing) | set(passed) | set(untested)
    return {
        service_id: ServiceHealth(
            state="failing" if failing[service_id] else "ok" if passed[service_id] else "untested",
            failing=sorted(failing[service_id], key=lambda item: (item.kind, item.name)),
            passing=passed[service_id],
            untested=untested[service_id],
        )
        for service_id in services
    }


async def signals_for(
    viewer: Viewer, sources: Iterable[SignalSource], teams: dict[str, str | None]
) -> dict[str, list[ServiceSignal]]:
    """What every source says of each service, kept to the services where the viewer may
    read the source's module."""
    found: dict[str, list[ServiceSignal]] = defaultdict(list)
    for source in sources:
        scope = await viewer.scope(source.module)
        if scope.is_empty:
            continue
        for service, signals in (await source.signals(viewer.session)).items():
            if service in teams and scope.allows(service, teams[service]):
                found[service].extend(signals)
    return found


def with_signals(read: ServiceRead, signals: dict[str, list[ServiceSignal]]) -> ServiceRead:
    """A copy of a (shared, cached) service read carrying its signals."""
    return read.model_copy(update={"signals": signals.get(read.name, [])})


def needs_attention(read: ServiceRead) -> bool:
    return read.health.state == "failing" or bool(read.signals)
