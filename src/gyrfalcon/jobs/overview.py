"""Counts of every view, per backend and per service (live), and across the services
in scope (from the sampler's last counts).

Backends are read concurrently, a few at a time, each within its own time limit: one
Redis that hangs shows as unreachable in its row and never holds up the others.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.core.settings import Settings
from gyrfalcon.jobs import service as jobs
from gyrfalcon.jobs.backends.base import JobBackendAdapter
from gyrfalcon.jobs.models import JobBackendSample
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
        label=adapter.label if adapter else located.config.type,
        service=located.service,
        team=located.team,
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
    return ServiceJobs(
        service=service,
        team=await catalog.team_of(session, name=service),
        backends=await _gathered(located, settings),
    )


async def across_services(session: AsyncSession, scope: ServiceScope) -> JobsOverview:
    """Every service in ``scope`` with job backends, from the sampler's last counts."""
    rows = await session.execute(
        select(
            catalog.Service.name,
            catalog.Service.team,
            JobBackendSample.sampled_at,
            JobBackendSample.ok,
            JobBackendSample.counts,
        )
        .join(catalog.JobBackend, catalog.JobBackend.service_id == catalog.Service.id)
        .outerjoin(JobBackendSample, JobBackendSample.backend_id == catalog.JobBackend.id)
        .order_by(catalog.Service.name)
    )
    by_service: dict[tuple[str, str | None], list[Row[Any]]] = defaultdict(list)
    for row in rows:
        if scope.allows(row.name, row.team):
            by_service[(row.name, row.team)].append(row)
    return JobsOverview(
        services=[_failures(name, team, samples) for (name, team), samples in by_service.items()]
    )


def _failures(name: str, team: str | None, samples: list[Row[Any]]) -> FailureCounts:
    counted = [Counts.model_validate(sample.counts or {}) for sample in samples]
    times = [sample.sampled_at for sample in samples if sample.sampled_at is not None]
    return FailureCounts(
        service=name,
        team=team,
        backends=len(samples),
        unreachable=sum(sample.ok is False for sample in samples),
        not_sampled=len(samples) - len(times),
        retry=sum(counts.retry or 0 for counts in counted),
        dead=sum(counts.dead or 0 for counts in counted),
        sampled_at=min(times) if times else None,
    )
