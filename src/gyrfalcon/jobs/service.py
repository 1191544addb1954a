"""The jobs module's logic, and what other modules may use of it.

A request names a service's job backend; this finds it in the catalog, opens its Redis
through the catalog's connector, runs one adapter call under the backend's time limit
and turns what can go wrong into answers a person can act on: a Redis that is down
or hangs is a 502 that says so within the limit, a job someone else moved first a
409. Every action is audited with the job as it was.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from redis.exceptions import NoPermissionError, RedisError, ResponseError
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog import service as catalog
from gyrfalcon.connectors import redis as redis_connector
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import Conflict, InvalidInput, NotFound, ProblemError
from gyrfalcon.core.failures import describe
from gyrfalcon.core.settings import Settings
from gyrfalcon.jobs.backends.base import (
    ActionOutcome,
    Backend,
    BadReference,
    JobBackendAdapter,
    JobMoved,
    JobsError,
    Limits,
    NotProvided,
    Place,
)
from gyrfalcon.jobs.backends.registry import adapter_for
from gyrfalcon.jobs.kind import JOB_BACKENDS, JobBackendConfig
from gyrfalcon.jobs.schemas import Action, BulkResult, EntryFilter, JobDetail
from gyrfalcon.jobs.settings import JobsSettings

T = TypeVar("T")
log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
AUDITED_PAYLOAD_CHARS = 16_000


def utc_now() -> datetime:
    return datetime.now(UTC)


class BackendUnavailable(ProblemError):
    status = 502
    title = "Job backend not answering"


@dataclass(frozen=True)
class Located:
    service: str
    team: str | None
    backend_id: int
    name: str
    config: JobBackendConfig
    adapter: JobBackendAdapter | None

    @property
    def label(self) -> str:
        return f"{self.service}/{self.name}"

    def require_adapter(self) -> JobBackendAdapter:
        if self.adapter is None:
            raise Conflict(
                f"No adapter for job system '{self.config.type}' is installed here; install the "
                "package that provides it, or change the backend's type."
            )
        return self.adapter


async def locate(
    session: AsyncSession, box: SecretBox, *, service: str, backend_id: int
) -> Located:
    owner = await catalog.get_service(session, name=service)
    row = await catalog.get_connection(
        session, JOB_BACKENDS, service=owner, connection_id=backend_id
    )
    config = catalog.load_definition(JOB_BACKENDS, row, box)
    assert isinstance(config, JobBackendConfig)
    return Located(service, owner.team, row.id, row.name, config, adapter_for(config.type))


async def located_backends(session: AsyncSession, box: SecretBox, *, service: str) -> list[Located]:
    owner = await catalog.get_service(session, name=service)
    return [
        await locate(session, box, service=service, backend_id=row.id)
        for row in await catalog.list_connections(session, JOB_BACKENDS, service=owner)
    ]


async def run(
    located: Located,
    settings: Settings,
    work: Callable[[JobBackendAdapter, Backend], Awaitable[T]],
    *,
    clock: Clock = utc_now,
    long: bool = False,
) -> T:
    """``work`` on an open client, within the backend's time limit (plus the filter or
    bulk budget for a ``long`` call), every failure worded for the page."""
    adapter = located.require_adapter()
    section = settings.section(JobsSettings)
    limits = Limits(
        filter_window=section.jobs_filter_window,
        filter_budget_seconds=section.jobs_filter_budget_seconds,
        control_reply_seconds=section.jobs_celery_reply_seconds,
    )
    timeout = section.jobs_timeout_seconds
    # A long call has its own budgets and stops itself when they are spent; this limit
    # only catches one that hangs past them and its last Redis call.
    extra = limits.filter_budget_seconds + limits.bulk_budget_seconds + timeout if long else 0.0
    deadline = timeout + extra
    target = redis_connector.target(located.config)
    try:
        async with asyncio.timeout(deadline):
            async with redis_connector.open_redis(located.config, timeout=timeout) as client:
                return await work(adapter, Backend(client, located.config.namespace, clock, limits))
    except JobMoved as exc:
        raise Conflict(str(exc), title="The job has moved") from None
    except NotProvided as exc:
        raise NotFound(str(exc), title="Not kept by this job system") from None
    except BadReference as exc:
        raise InvalidInput("ref", str(exc)) from None
    except JobsError as exc:
        raise Conflict(str(exc)) from None
    except ResponseError as exc:
        if isinstance(exc, NoPermissionError):
            raise BackendUnavailable(f"{located.label}: Redis refused the command: {exc}") from None
        # Redis answered, but not as this system's keys should make it (a key of the wrong
        # type, say): the keys are not what the backend's type and namespace promise.
        raise Conflict(
            f"{located.label}: Redis refused the command ({exc}); are the type and namespace "
            "of this job backend right?",
            title="Not the job system's keys",
        ) from None
    except (RedisError, OSError, TimeoutError) as exc:
        message = describe(
            exc,
            target,
            # One Redis call that timed out waited the client's limit; only the call as a
            # whole waits the longer deadline of a filter or a bulk action.
            timeout=timeout if isinstance(exc, RedisError) else deadline,
            classify=lambda link: redis_connector.classify(located.config, link),
        )
        where = f"Redis at {located.config.host}:{located.config.port}"
        raise BackendUnavailable(f"{located.label} ({where}): {message}") from None
    except ProblemError:
        raise
    except Exception as exc:
        # A payload or key no adapter foresaw must not turn a page into a 500: the person
        # learns which backend could not be read, the log keeps the trace.
        log.exception("reading job backend %s failed", located.label)
        raise BackendUnavailable(
            f"{located.label}: its jobs could not be read ({type(exc).__name__}); the "
            "console's log has the details."
        ) from None


async def act(
    session: AsyncSession,
    located: Located,
    settings: Settings,
    place: Place,
    action: Action,
    ref: str,
    *,
    clock: Clock = utc_now,
) -> tuple[ActionOutcome, JobDetail]:
    """Do ``action`` to one job and audit it with the job as it was."""
    _require_action(located, place, action)

    async def work(adapter: JobBackendAdapter, backend: Backend) -> tuple[ActionOutcome, JobDetail]:
        before = await adapter.job(backend, place, ref)
        return await adapter.act(backend, place, action, ref), before

    outcome, before = await run(located, settings, work, clock=clock)
    audit.record(
        session,
        action=f"job.{action.value}",
        object_type="job",
        object_id=before.id or before.ref,
        object_name=f"{located.name}: {before.name} in {place}",
        service=located.service,
        before=_audited(before),
        after=_destination(outcome),
    )
    await session.commit()
    return outcome, before


async def bulk(
    session: AsyncSession,
    located: Located,
    settings: Settings,
    place: Place,
    action: Action,
    where: EntryFilter,
    expected: int,
    *,
    clock: Clock = utc_now,
) -> BulkResult:
    _require_action(located, place, action)

    async def work(adapter: JobBackendAdapter, backend: Backend) -> BulkResult:
        return await adapter.bulk(backend, place, action, where, expected)

    result = await run(located, settings, work, clock=clock, long=True)
    audit.record(
        session,
        action=f"job.bulk_{action.value}",
        object_type="job",
        object_name=f"{located.name}: {result.done} jobs in {place}",
        service=located.service,
        after={
            "filter": where.model_dump(exclude_none=True),
            "confirmed": expected,
            **result.model_dump(mode="json"),
        },
    )
    await session.commit()
    return result


def _require_action(located: Located, place: Place, action: Action) -> None:
    if action not in located.require_adapter().actions.get(place.where, ()):
        raise NotFound(
            f"{located.label}: a job in {place} cannot be given '{action.value}' here",
            title="Not kept by this job system",
        )


def _destination(outcome: ActionOutcome) -> dict[str, str] | None:
    kept = {"enqueued_to": outcome.enqueued_to, "new_job_id": outcome.new_job_id}
    return {key: value for key, value in kept.items() if value} or None


def _audited(job: JobDetail) -> dict[str, Any]:
    """The job as it was, with its arguments and backtrace cut to what an audit
    record should hold."""
    kept = job.model_dump(mode="json", exclude={"args", "extra", "backtrace"})
    kept["payload"] = job.payload[:AUDITED_PAYLOAD_CHARS]
    kept["payload_cut"] = job.payload_cut or len(job.payload) > AUDITED_PAYLOAD_CHARS
    return kept
