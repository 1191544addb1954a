"""What the jobs API answers: the five views of a job backend, in one shape for every
job system.

The vocabulary is the one gocraft/work's and Sidekiq's web UIs share: worker pools,
queues, scheduled, retry and dead jobs. A field a system does not keep is ``None``
rather than a guess, and a whole view a system lacks is a :class:`Support` that says
why, so the console can say so instead of showing an empty table.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints

NAME_CHARS = 500
NAMES_MOST = 100


def _cut(text: str) -> str:
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


Name = Annotated[str, AfterValidator(_cut)]
"""A name a job system wrote (job, queue, host, worker, id): whatever an adapter read,
an answer never carries more than :data:`NAME_CHARS` of it (a bug may write megabytes)."""
Names = Annotated[list[Name], AfterValidator(lambda names: names[:NAMES_MOST])]


class View(StrEnum):
    WORKER_POOLS = "worker-pools"
    QUEUES = "queues"
    SCHEDULED = "scheduled"
    RETRY = "retry"
    DEAD = "dead"
    PERIODIC = "periodic"


class JobSet(StrEnum):
    """The views that hold jobs waiting for a time: each is paged and acted on alike."""

    SCHEDULED = "scheduled"
    RETRY = "retry"
    DEAD = "dead"


class Action(StrEnum):
    RETRY = "retry"
    """Enqueue a failed job now (from retry or dead)."""
    RUN = "run"
    """Enqueue a scheduled job now, ahead of its time."""
    DELETE = "delete"
    KILL = "kill"
    """Move a job from retry to dead: stop retrying it and keep it."""


class Support(BaseModel):
    provided: bool
    why: str = Field(default="", description="Why not, or what to know, in words for the page")


class Capabilities(BaseModel):
    views: dict[View, Support]
    actions: dict[str, list[Action]] = Field(
        description="What may be done to a job, by where it is: 'scheduled', 'retry', "
        "'dead' or 'queue'"
    )


class BusyWorker(BaseModel):
    worker: Name = Field(description="The worker (thread, goroutine, process) running it")
    job: Name | None
    job_id: Name | None
    queue: Name | None = None
    args_preview: str = ""
    running_since: datetime | None


class WorkerPool(BaseModel):
    id: Name
    host: Name | None
    pid: int | None
    concurrency: int | None
    job_names: Names = Field(description="The jobs or queues the pool works on")
    started_at: datetime | None
    heartbeat_at: datetime | None
    stale: bool = Field(description="No heartbeat for longer than the system beats")
    quiet: bool | None = Field(default=None, description="Stopping: takes no new jobs")
    labels: Names = []
    busy: list[BusyWorker]
    busy_count: int
    reserved: list[BusyWorker] = Field(
        default=[], description="Jobs the pool has taken but not started (Celery's prefetched)"
    )


class QueueInfo(BaseModel):
    name: Name
    size: int
    latency_seconds: float | None = Field(description="Age of the oldest job, when it is known")
    oldest_enqueued_at: datetime | None
    paused: bool | None = Field(description="None where the system cannot pause a queue")


class PeriodicJob(BaseModel):
    name: Name
    job: Name
    schedule: Name = Field(description="The cron line")
    enabled: bool
    next_run_at: datetime | None
    last_enqueued_at: datetime | None = None
    args_preview: str = ""


class Counts(BaseModel):
    """How many of each: ``None`` where the system does not keep it."""

    worker_pools: int | None = None
    busy: int | None = None
    queues: int | None = None
    enqueued: int | None = None
    scheduled: int | None = None
    retry: int | None = None
    dead: int | None = None


class JobSummary(BaseModel):
    ref: str = Field(description="Where the job is, exactly; what its actions are addressed by")
    id: Name | None
    name: Name = Field(description="The job's class or name")
    queue: Name | None = None
    args_preview: str = Field(default="", description="The arguments as compact JSON, cut")
    at: datetime | None = Field(
        default=None,
        description="Its time in this view: run at (scheduled), next retry (retry), died "
        "(dead), enqueued (queue)",
    )
    enqueued_at: datetime | None = None
    created_at: datetime | None = None
    failed_at: datetime | None = None
    retried_at: datetime | None = None
    fails: int | None = Field(default=None, description="How many times it has failed")
    error_class: str | None = None
    error_message: str | None = None
    problem: str | None = Field(
        default=None, description="What is wrong with the stored payload (not JSON, say)"
    )


class JobDetail(JobSummary):
    args: Any = Field(default=None, description="The arguments, pretty-printable JSON")
    args_cut: bool = Field(default=False, description="Too big: args_preview has the start")
    backtrace: list[str] | None = None
    backtrace_cut: bool = False
    payload: str = Field(description="The stored payload as text, cut at the size limit")
    payload_cut: bool = False
    extra: dict[str, Any] = Field(
        default_factory=dict, description="The payload's other fields, as the system wrote them"
    )


class EntryPage(BaseModel):
    items: list[JobSummary]
    total: int = Field(description="Jobs in the set or queue, filtered or not")
    position: int = Field(description="Where this page started, counted in the set's order")
    next_position: int | None = Field(description="Where the next page starts; None at the end")
    scanned: int = Field(description="Jobs this page looked at (more than items when filtered)")
    filtered: bool
    complete: bool = Field(
        description="False when a filter stopped at its time budget before a full page: ask "
        "again from next_position to go on"
    )


Needle = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class EntryFilter(BaseModel):
    """A server-side filter; every given part must match."""

    name: Needle | None = Field(default=None, description="The job's class or name, exactly")
    q: Needle | None = Field(
        default=None, description="A piece of the error or the arguments, any case"
    )
    id: Needle | None = Field(default=None, description="The job id, exactly")

    @property
    def empty(self) -> bool:
        return self.name is None and self.q is None and self.id is None


class ActionResult(BaseModel):
    action: Action
    ref: str
    job: str
    job_id: str | None
    enqueued_to: str | None = Field(default=None, description="The queue it went to, if any")
    new_job_id: str | None = Field(
        default=None, description="The id it runs under now, where it was sent again as new"
    )


class BulkRequest(EntryFilter):
    """Strict, and closed to unknown fields: a mistyped filter field must not vanish and
    leave a bulk action over more jobs than the person meant."""

    model_config = ConfigDict(extra="forbid")

    action: Action
    expected: StrictInt = Field(
        ge=0,
        description="The count the confirmation showed; when more match now, nothing is done "
        "and the answer says how many",
    )


class BulkResult(BaseModel):
    action: Action
    matched: int
    done: int = Field(description="Jobs acted on")
    moved: int = Field(description="Jobs that matched but were gone or moved when acted on")
    skipped: int = Field(
        default=0,
        description="Jobs that matched but cannot be acted on (broken payload, data gone)",
    )
    complete: bool = Field(description="False when it stopped before the end: run it again")
    stopped: str | None = Field(
        default=None, description="Why it stopped before the end (time budget, Redis failing)"
    )
    job_ids: list[str] = Field(default_factory=list, description="The first 100 jobs acted on")


class MatchCount(BaseModel):
    count: int
    scanned: int
    total: int
    complete: bool


class BackendOverview(BaseModel):
    id: int
    name: str
    type: str
    label: str = Field(description="The job system's name as people know it")
    service: str
    team: str | None
    ok: bool
    message: str = Field(description="Why the counts are missing, when they are")
    counts: Counts
    capabilities: Capabilities | None = Field(description="None when no adapter has its type")


class ServiceJobs(BaseModel):
    service: str
    team: str | None
    backends: list[BackendOverview]


class FailureCounts(BaseModel):
    service: str
    team: str | None
    backends: int
    unreachable: int = Field(description="Backends whose last count failed")
    not_sampled: int = Field(description="Backends not counted yet (new ones)")
    retry: int
    dead: int
    sampled_at: datetime | None = Field(description="When the oldest of these counts was taken")


class JobsOverview(BaseModel):
    services: list[FailureCounts]
