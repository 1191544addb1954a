"""``/api/v1/services/{service}/jobs/...`` and ``/api/v1/jobs``: thin routes over the
jobs service, one per view and action of a service's job backend."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import InvalidInput, NotFound
from gyrfalcon.core.params import Id
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import AUTHENTICATED, granted_scope, require
from gyrfalcon.jobs import overview
from gyrfalcon.jobs import service as jobs
from gyrfalcon.jobs.backends.base import QUEUE, Backend, JobBackendAdapter, Place
from gyrfalcon.jobs.backends.registry import adapters
from gyrfalcon.jobs.schemas import (
    Action,
    ActionResult,
    BackendOverview,
    BulkRequest,
    BulkResult,
    Capabilities,
    EntryFilter,
    EntryPage,
    JobDetail,
    JobSet,
    JobsOverview,
    MatchCount,
    PeriodicJob,
    QueueInfo,
    ServiceJobs,
    Support,
    View,
    WorkerPool,
)

T = TypeVar("T")
router = APIRouter(tags=["jobs"])
READ = Depends(require("jobs", "read"))
WRITE = Depends(require("jobs", "write"))
BACKEND = "/services/{service}/jobs/{backend_id}"
Ref = Annotated[str, Path(max_length=200, description="The job's ref from a page of its view")]
QueueName = Annotated[
    str, Path(min_length=1, max_length=1000, description="The queue's name; may hold '/'")
]
Position = Annotated[int, Query(ge=0, le=10**9, description="Where the page starts")]
Limit = Annotated[int, Query(ge=1, le=200, description="Jobs per page")]


class BackendType(BaseModel):
    type: str
    label: str
    capabilities: Capabilities


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


async def _located(request: Request, db: DbSession, service: str, backend_id: Id) -> jobs.Located:
    return await jobs.locate(db, _context(request).secrets, service=service, backend_id=backend_id)


Located = Annotated[jobs.Located, Depends(_located)]


def _filter(
    name: Annotated[
        str | None, Query(min_length=1, max_length=200, description="The job's name, exactly")
    ] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="A piece of the payload, any case"),
    ] = None,
    id: Annotated[
        str | None, Query(min_length=1, max_length=200, description="The job id, exactly")
    ] = None,
) -> EntryFilter:
    return EntryFilter(name=name, q=q, id=id)


Filter = Annotated[EntryFilter, Depends(_filter)]


@router.get(
    "/job-backend-types",
    dependencies=[Depends(AUTHENTICATED)],
    summary="The job systems this console can read, with what each one keeps",
)
async def list_backend_types() -> list[BackendType]:
    return [
        BackendType(type=name, label=adapter.label, capabilities=overview.capabilities(adapter))
        for name, adapter in adapters().items()
    ]


@router.get(
    "/jobs", dependencies=[READ], summary="Dead and retry counts of every service in your scope"
)
async def jobs_overview(request: Request, db: DbSession) -> JobsOverview:
    return await overview.across_services(db, granted_scope(request))


@router.get("/services/{service}/jobs", dependencies=[READ], summary="A service's job backends")
async def service_jobs(request: Request, db: DbSession, service: str) -> ServiceJobs:
    context = _context(request)
    return await overview.of_service(db, context.secrets, context.settings, service=service)


@router.get(BACKEND, dependencies=[READ], summary="One job backend: what it keeps, and counts")
async def backend_overview(request: Request, located: Located) -> BackendOverview:
    return await overview.of_backend(located, _context(request).settings)


@router.get(f"{BACKEND}/worker-pools", dependencies=[READ], summary="Worker pools and busy workers")
async def worker_pools(request: Request, located: Located) -> list[WorkerPool]:
    return await _view(request, located, View.WORKER_POOLS, lambda a, b: a.worker_pools(b))


@router.get(f"{BACKEND}/queues", dependencies=[READ], summary="Queues with size and latency")
async def queues(request: Request, located: Located) -> list[QueueInfo]:
    return await _view(request, located, View.QUEUES, lambda a, b: a.queues(b))


@router.get(f"{BACKEND}/periodic", dependencies=[READ], summary="Periodic jobs and their next runs")
async def periodic(request: Request, located: Located) -> list[PeriodicJob]:
    return await _view(request, located, View.PERIODIC, lambda a, b: a.periodic(b))


@router.get(
    f"{BACKEND}/queues/{{queue:path}}/jobs", dependencies=[READ], summary="A page of a queue's jobs"
)
async def queue_jobs(
    request: Request,
    located: Located,
    where: Filter,
    queue: QueueName,
    position: Position = 0,
    limit: Limit = 25,
) -> EntryPage:
    place = Place(QUEUE, queue)
    return await _view(
        request,
        located,
        View.QUEUES,
        lambda a, b: a.entries(b, place, position=position, limit=limit, where=where),
        long=not where.empty,
    )


@router.get(
    f"{BACKEND}/queues/{{queue:path}}/jobs/{{ref}}",
    dependencies=[READ],
    summary="One job in a queue",
)
async def queue_job(request: Request, located: Located, queue: QueueName, ref: Ref) -> JobDetail:
    place = Place(QUEUE, queue)
    return await _view(request, located, View.QUEUES, lambda a, b: a.job(b, place, ref))


@router.delete(
    f"{BACKEND}/queues/{{queue:path}}/jobs/{{ref}}",
    dependencies=[WRITE],
    summary="Delete a job from a queue",
)
async def delete_queue_job(
    request: Request, db: DbSession, located: Located, queue: QueueName, ref: Ref
) -> ActionResult:
    return await _act(request, db, located, Place(QUEUE, queue), Action.DELETE, ref)


@router.get(
    f"{BACKEND}/{{job_set}}", dependencies=[READ], summary="A page of scheduled, retry or dead jobs"
)
async def entries(
    request: Request,
    located: Located,
    job_set: JobSet,
    where: Filter,
    position: Position = 0,
    limit: Limit = 25,
) -> EntryPage:
    place = Place(job_set.value)
    return await _view(
        request,
        located,
        View(job_set.value),
        lambda a, b: a.entries(b, place, position=position, limit=limit, where=where),
        long=not where.empty,
    )


@router.get(
    f"{BACKEND}/{{job_set}}/count", dependencies=[READ], summary="How many jobs a filter matches"
)
async def count(request: Request, located: Located, job_set: JobSet, where: Filter) -> MatchCount:
    place = Place(job_set.value)
    return await _view(
        request, located, View(job_set.value), lambda a, b: a.count(b, place, where), long=True
    )


@router.post(
    f"{BACKEND}/{{job_set}}/bulk",
    dependencies=[WRITE],
    summary="Retry, run, kill or delete every job a filter matches, after a count",
)
async def bulk(
    request: Request, db: DbSession, located: Located, job_set: JobSet, body: BulkRequest
) -> BulkResult:
    where = EntryFilter(name=body.name, q=body.q, id=body.id)
    return await jobs.bulk(
        db,
        located,
        _context(request).settings,
        Place(job_set.value),
        body.action,
        where,
        body.expected,
    )


@router.get(f"{BACKEND}/{{job_set}}/{{ref}}", dependencies=[READ], summary="One job, in full")
async def job(request: Request, located: Located, job_set: JobSet, ref: Ref) -> JobDetail:
    place = Place(job_set.value)
    return await _view(request, located, View(job_set.value), lambda a, b: a.job(b, place, ref))


@router.post(
    f"{BACKEND}/{{job_set}}/{{ref}}/{{action}}",
    dependencies=[WRITE],
    summary="Retry, run now or kill one job",
)
async def act(
    request: Request, db: DbSession, located: Located, job_set: JobSet, ref: Ref, action: Action
) -> ActionResult:
    if action is Action.DELETE:
        raise InvalidInput("action", "delete a job with DELETE on its ref")
    return await _act(request, db, located, Place(job_set.value), action, ref)


@router.delete(f"{BACKEND}/{{job_set}}/{{ref}}", dependencies=[WRITE], summary="Delete one job")
async def delete(
    request: Request, db: DbSession, located: Located, job_set: JobSet, ref: Ref
) -> ActionResult:
    return await _act(request, db, located, Place(job_set.value), Action.DELETE, ref)


async def _view(
    request: Request,
    located: jobs.Located,
    view: View,
    work: Callable[[JobBackendAdapter, Backend], Awaitable[T]],
    *,
    long: bool = False,
) -> T:
    support = located.require_adapter().views.get(view, Support(provided=False))
    if not support.provided:
        raise NotFound(
            f"{located.label} keeps no {view.value.replace('-', ' ')}: {support.why}",
            title="Not kept by this job system",
        )
    return await jobs.run(located, _context(request).settings, work, long=long)


async def _act(
    request: Request, db: DbSession, located: jobs.Located, place: Place, action: Action, ref: str
) -> ActionResult:
    outcome, _before = await jobs.act(db, located, _context(request).settings, place, action, ref)
    return ActionResult(
        action=action,
        ref=ref,
        job=outcome.job.name,
        job_id=outcome.job.id,
        enqueued_to=outcome.enqueued_to,
        new_job_id=outcome.new_job_id,
    )
