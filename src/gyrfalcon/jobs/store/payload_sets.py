"""The views of a job system that keeps each job as one payload in sorted sets and
lists (gocraft/work, Sidekiq, Resque): paging, filters, lookups and the actions.

An adapter says where each place is (:meth:`PayloadSets.source`), how to read a
payload (:meth:`PayloadSets.summarize`, :meth:`PayloadSets.detail`) and what an action
writes where (:meth:`PayloadSets.plan`); the reading and the atomic moves are here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from gyrfalcon.jobs.backends.base import (
    ActionOutcome,
    Backend,
    JobMoved,
    JobsError,
    NotProvided,
    Place,
)
from gyrfalcon.jobs.schemas import (
    Action,
    BulkResult,
    Counts,
    EntryFilter,
    EntryPage,
    JobDetail,
    JobSet,
    JobSummary,
    MatchCount,
    QueueInfo,
    Support,
    View,
    WorkerPool,
)
from gyrfalcon.jobs.store import bulk, scripts, windows
from gyrfalcon.jobs.store.windows import Fields, Member, Source

_MOVE_CHUNK = 500


@dataclass(frozen=True)
class Move:
    """What an action does with one job once it is taken out of its place."""

    how: str
    """'delete', 'lpush' / 'rpush' to a list, or 'zadd' to a sorted set."""
    destination: str | None = None
    score: float | None = None
    names: tuple[str, str] | None = None
    """A set of queue names and the name to add to it."""
    payload: bytes = b""
    queue: str | None = None
    """The queue it goes to, as people name it."""

    @property
    def route(self) -> tuple[str, str | None, float | None, tuple[str, str] | None]:
        return self.how, self.destination, self.score, self.names


class PayloadSets(ABC):
    """Shared behaviour of the payload-per-job adapters; they define the rest of
    :class:`~gyrfalcon.jobs.backends.base.JobBackendAdapter`."""

    fields: Fields
    views: Mapping[View, Support]
    actions: Mapping[str, tuple[Action, ...]]

    @abstractmethod
    async def worker_pools(self, backend: Backend) -> list[WorkerPool]:
        """The processes working the system's jobs, with their busy workers."""

    @abstractmethod
    async def queues(self, backend: Backend) -> list[QueueInfo]:
        """The system's queues with their sizes."""

    @abstractmethod
    def source(self, backend: Backend, place: Place) -> Source:
        """Where the jobs of ``place`` are kept: the key and the order of its view."""

    @abstractmethod
    def summarize(self, backend: Backend, member: Member, place: Place) -> JobSummary:
        """One stored job as a row of a page."""

    @abstractmethod
    def detail(self, backend: Backend, member: Member, place: Place) -> JobDetail:
        """One stored job in full, cut to the read limits."""

    @abstractmethod
    def plan(self, backend: Backend, member: Member, place: Place, action: Action) -> Move:
        """What ``action`` writes where, for one job taken out of ``place``."""

    async def counts(self, backend: Backend) -> Counts:
        """Pools, busy workers and queues from their views; each set the system keeps
        by its size."""
        pools, queues = await self.worker_pools(backend), await self.queues(backend)
        kept = {
            job_set.value: await windows.total(backend.client, self.source(backend, Place(job_set)))
            for job_set in JobSet
            if self.views[View(job_set.value)].provided
        }
        return Counts(
            worker_pools=len(pools),
            busy=sum(pool.busy_count for pool in pools),
            queues=len(queues),
            enqueued=sum(queue.size for queue in queues),
            **kept,
        )

    async def entries(
        self, backend: Backend, place: Place, *, position: int, limit: int, where: EntryFilter
    ) -> EntryPage:
        source = self.source(backend, place)
        limits = backend.limits
        limit = min(limit, limits.page_max)
        if where.empty:
            members, size = await windows.page(backend.client, source, position, limit)
            reached = position + len(members)
            found = windows.Scan(members, reached if reached < size else None, len(members), True)
        else:
            found = await windows.scan(
                backend.client,
                source,
                windows.filter_args(where, self.fields),
                position=position,
                limit=limit,
                window=limits.filter_window,
                budget_seconds=limits.filter_budget_seconds,
            )
            size = await windows.total(backend.client, source)
        return EntryPage(
            items=[self.summarize(backend, member, place) for member in found.members],
            total=size,
            position=position,
            next_position=found.next_position,
            scanned=found.scanned,
            filtered=not where.empty,
            complete=found.complete,
        )

    async def count(self, backend: Backend, place: Place, where: EntryFilter) -> MatchCount:
        source = self.source(backend, place)
        matched, scanned, size, complete = await windows.count(
            backend.client,
            source,
            windows.filter_args(where, self.fields),
            window=backend.limits.filter_window,
            budget_seconds=backend.limits.filter_budget_seconds,
        )
        return MatchCount(count=matched, scanned=scanned, total=size, complete=complete)

    async def job(self, backend: Backend, place: Place, ref: str) -> JobDetail:
        member = await windows.locate(backend.client, self.source(backend, place), ref)
        if member is None:
            raise JobMoved(f"The job is not in {place} any more: it has run, moved or gone.")
        return self.detail(backend, member, place)

    def _allowed(self, place: Place, action: Action) -> None:
        if action not in self.actions.get(place.where, ()):
            raise NotProvided(f"{action.value} is not something a job in {place} can do here")

    async def act(self, backend: Backend, place: Place, action: Action, ref: str) -> ActionOutcome:
        self._allowed(place, action)
        source = self.source(backend, place)
        member = await windows.locate(backend.client, source, ref)
        if member is None:
            raise JobMoved(f"The job is not in {place} any more: it has run, moved or gone.")
        move = self.plan(backend, member, place, action)
        [moved] = await scripts.move(
            backend.client,
            source=(source.kind, source.key),
            how=move.how,
            destination=move.destination,
            score=move.score,
            names=move.names,
            jobs=[(member.raw, move.payload)],
        )
        if not moved:
            raise JobMoved(f"The job left {place} just now: someone or a worker moved it first.")
        return ActionOutcome(self.summarize(backend, member, place), move.queue)

    async def bulk(
        self, backend: Backend, place: Place, action: Action, where: EntryFilter, expected: int
    ) -> BulkResult:
        """Act on every job ``where`` matches, window by window, never on more than the
        ``expected`` count the person confirmed, within one time budget."""
        budget = bulk.Budget(backend.limits.bulk_budget_seconds)
        counted = await self.count(backend, place, where)
        result = bulk.started(action, counted, expected)
        source = self.source(backend, place)
        groups = windows.filter_args(where, self.fields)
        window = backend.limits.filter_window
        position = 0
        with bulk.kept_when_stopped(result):
            while result.done + result.skipped < expected and not budget.spent(result):
                found = await windows.scan(
                    backend.client,
                    source,
                    groups,
                    position=position,
                    limit=min(window, expected - result.done - result.skipped),
                    window=window,
                    budget_seconds=budget.left,
                )
                gone = await self._move_all(backend, source, place, action, found.members, result)
                if found.next_position is None:
                    break
                # The jobs that left (moved now or by someone else) were all before the
                # position reached; the ones skipped are still there and stay behind it.
                position = max(0, found.next_position - gone)
        return bulk.finish(result, counted, expected)

    async def _move_all(
        self,
        backend: Backend,
        source: Source,
        place: Place,
        action: Action,
        members: list[Member],
        result: BulkResult,
    ) -> int:
        """Move ``members`` a chunk per route at a time; how many left their place."""
        routes: dict[tuple[object, ...], list[tuple[Member, Move]]] = defaultdict(list)
        for member in members:
            result.matched += 1
            try:
                move = self.plan(backend, member, place, action)
            except JobsError:
                result.skipped += 1
                continue
            routes[move.route].append((member, move))
        gone = 0
        for (how, destination, score, names), planned in routes.items():
            for start in range(0, len(planned), _MOVE_CHUNK):
                chunk = planned[start : start + _MOVE_CHUNK]
                outcomes = await scripts.move(
                    backend.client,
                    source=(source.kind, source.key),
                    how=str(how),
                    destination=destination,  # type: ignore[arg-type]
                    score=score,  # type: ignore[arg-type]
                    names=names,  # type: ignore[arg-type]
                    jobs=[(member.raw, move.payload) for member, move in chunk],
                )
                gone += len(chunk)
                for (member, _move), moved in zip(chunk, outcomes, strict=True):
                    if not moved:
                        result.moved += 1
                    else:
                        job_id = self.summarize(backend, member, place).id
                        bulk.done(result, job_id or member.ref)
        return gone
