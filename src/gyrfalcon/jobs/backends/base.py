"""What a job system's adapter does, whatever the system.

One adapter per job system (``gocraft``, ``sidekiq``, ``resque``, ``rq``, ``celery``),
registered in the ``gyrfalcon.job_backends`` entry-point group under the ``type`` a
job backend of the catalog names; a third-party package adds a system the same way.

Every method gets a :class:`Backend`: a Redis client the jobs service opened through
the catalog's connector (bounded by the backend's timeout), the key prefix of the
backend's namespace, the clock and the read limits. Adapters only ever read bounded
windows (no ``KEYS``, no whole-set ranges) and change a job only with an atomic step
that names its exact stored bytes, so two people or a worker acting on the same job
at once never duplicate or lose it: the loser gets :class:`JobMoved`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from redis.asyncio import Redis

from gyrfalcon.jobs.schemas import (
    Action,
    BulkResult,
    Counts,
    EntryFilter,
    EntryPage,
    JobDetail,
    JobSummary,
    MatchCount,
    PeriodicJob,
    QueueInfo,
    Support,
    View,
    WorkerPool,
)

QUEUE = "queue"
"""Where a job waits to run, as opposed to the sets of :class:`JobSet`."""


@dataclass(frozen=True)
class Limits:
    page_max: int = 200
    filter_window: int = 5000
    """Members one filter step reads inside Redis: short enough never to stall it."""
    filter_budget_seconds: float = 2.0
    """How long one request may go on filtering before it answers what it found."""
    bulk_budget_seconds: float = 30.0
    """How long one bulk action goes on before it answers "run it again"."""
    payload_bytes: int = 64 * 1024
    preview_chars: int = 300
    control_reply_seconds: float = 1.0
    """How long a system asked over its control channel (Celery's workers) may take to
    answer."""


@dataclass(frozen=True)
class Backend:
    client: Redis
    namespace: str
    now: Callable[[], datetime]
    limits: Limits = Limits()


@dataclass(frozen=True)
class Place:
    """Where jobs are: one of the sets (``scheduled``, ``retry``, ``dead``) or a queue."""

    where: str
    queue: str | None = None

    def __str__(self) -> str:
        return f"queue {self.queue}" if self.where == QUEUE else self.where


class JobsError(Exception):
    """Something about the request the backend cannot do; the message says what."""


class BadReference(JobsError):
    """A job reference that no view of this system could have given."""


class JobMoved(JobsError):
    """The job is not where the reference says any more (run, retried, deleted)."""


class NotProvided(JobsError):
    """The system does not have this view or action."""


@dataclass(frozen=True)
class ActionOutcome:
    job: JobSummary
    enqueued_to: str | None = None
    new_job_id: str | None = None
    """The id the job runs under now, where the system re-sends it as a new job (Celery)."""


@runtime_checkable
class JobBackendAdapter(Protocol):
    label: str
    """The system's name as people know it ("Sidekiq")."""
    views: Mapping[View, Support]
    actions: Mapping[str, tuple[Action, ...]]
    """What may be done by place: ``scheduled``, ``retry``, ``dead`` and ``queue``."""

    async def probe(self, backend: Backend) -> tuple[bool, str]:
        """Whether the system's keys are under the namespace, and what was looked at."""
        ...

    async def counts(self, backend: Backend) -> Counts: ...

    async def worker_pools(self, backend: Backend) -> list[WorkerPool]: ...

    async def queues(self, backend: Backend) -> list[QueueInfo]: ...

    async def periodic(self, backend: Backend) -> list[PeriodicJob]: ...

    async def entries(
        self, backend: Backend, place: Place, *, position: int, limit: int, where: EntryFilter
    ) -> EntryPage: ...

    async def count(self, backend: Backend, place: Place, where: EntryFilter) -> MatchCount: ...

    async def job(self, backend: Backend, place: Place, ref: str) -> JobDetail: ...

    async def act(
        self, backend: Backend, place: Place, action: Action, ref: str
    ) -> ActionOutcome: ...

    async def bulk(
        self, backend: Backend, place: Place, action: Action, where: EntryFilter, expected: int
    ) -> BulkResult: ...
