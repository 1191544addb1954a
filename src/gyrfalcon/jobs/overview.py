"""Counts of every view, per backend, per service, and across the services in scope.

Backends are read concurrently, a few at a time, each within its own time limit: one
Redis that hangs shows as unreachable in its row and never holds up the others.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.core.settings import Settings
from gyrfalcon.jobs import service as jobs
from gyrfalcon.jobs.backends.base import JobBackendAdapter
from gyrfalcon.jobs.schemas import (
    BackendOverview,
    Capabilities,
    Counts,
    FailureCounts,
    JobsOverview,
    ServiceJobs,
)

AT_ONCE = 8


def capabilities(adapter: JobBackendAdapter) -> Capabilities:
    return Capabilities(
        views=dict(adapter.views),
        actions={where: list(actions) for where, actions in adapter.actions.items()},
    )


async def of_backend(located: jobs.Located, settings: Settings) -> BackendOverview:
    """The backend's counts, or why there are none (never an error: this is a row)."""
    adapter = located.adapter
    ok, message, counts = True, "", Counts()
    try:
        counts = await jobs.run(located, settings, lambda a, backend: a.counts(backend))
    except ProblemError as problem:
        ok, message = False, problem.detail
    return BackendOverview(
        id=located.backend_id,
        name=located.name,
        type=located.config.type,
        service=located.service,
        ok=ok,
        message=message,
        counts=counts,
        capabilities=capabilities(adapter) if adapter else None,
    )


async def _gathered(located: list[jobs.Located], settings: Settings) -> list[BackendOverview]:
    gate = asyncio.Semaphore(AT_ONCE)

    async def one(backend: jobs.Located) -> BackendOverview:
        async with gate:
            return await of_backend(backend, settings)

    return list(await asyncio.gather(*(one(backend) for backend in located)))


async def of_service(
    session: AsyncSession, box: SecretBox, settings: Settings, *, service: str
) -> ServiceJobs:
    located = await jobs.located_backends(session, box, service=service)
    return ServiceJobs(service=service, backends=await _gathered(located, settings))


async def across_services(
    session: AsyncSession, box: SecretBox, settings: Settings, scope: ServiceScope
) -> JobsOverview:
    rows = (
        await session.execute(
            select(catalog.JobBackend.id, catalog.Service.name, catalog.Service.team)
            .join(catalog.Service, catalog.Service.id == catalog.JobBackend.service_id)
            .order_by(catalog.Service.name, catalog.JobBackend.name)
        )
    ).all()
    teams = {name: team for _id, name, team in rows}
    located = [
        await jobs.locate(session, box, service=name, backend_id=backend_id)
        for backend_id, name, team in rows
        if scope.allows(name, team)
    ]
    by_service: dict[str, list[BackendOverview]] = defaultdict(list)
    for row in await _gathered(located, settings):
        by_service[row.service].append(row)
    return JobsOverview(
        services=[
            FailureCounts(
                service=name,
                team=teams[name],
                backends=len(backends),
                unreachable=sum(not backend.ok for backend in backends),
                retry=sum(backend.counts.retry or 0 for backend in backends),
                dead=sum(backend.counts.dead or 0 for backend in backends),
            )
            for name, backends in by_service.items()
        ]
    )
