"""Bulk delete by pattern: a dry run counts (``service.count``), then a job deletes in
batches of ``SCAN`` + ``UNLINK`` from a background service of every worker, with its
progress stored after each batch, so it can be watched, cancelled, and resumed from
its cursors after a stop, a failure or a restart. It stops as partial at the maximum
the user confirmed, so a pattern that matches more than the dry run showed never
deletes more than was agreed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.cache import service as cache
from gyrfalcon.cache.models import BulkDelete, BulkState
from gyrfalcon.cache.scanning import read_cursor, search_digest
from gyrfalcon.cache.schemas import BulkDeleteRead
from gyrfalcon.cache.settings import CacheSettings
from gyrfalcon.cache.values import name_of
from gyrfalcon.catalog import service as catalog
from gyrfalcon.core import leases
from gyrfalcon.core.errors import Conflict, NotFound, ProblemError
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.settings import Settings

_logger = logging.getLogger(__name__)
COLUMNS = leases.LeaseColumns(
    key=BulkDelete.id, token=BulkDelete.lease_token, until=BulkDelete.lease_until
)
ROUND_SECONDS = 5.0
"""How long one lease's work lasts before the job's row is handed back (and other jobs
get their turn)."""
_TICK_SECONDS = 1.0


def to_read(job: BulkDelete) -> BulkDeleteRead:
    return BulkDeleteRead(
        id=job.id,
        instance_id=job.instance_id,
        pattern=job.pattern_text,
        state=job.state,
        max_keys=job.max_keys,
        deleted=job.deleted,
        examined=job.examined,
        reason=job.reason,
        created_by=job.created_by,
        created_at=job.created_at,
        updated_at=job.updated_at,
        finished_at=job.finished_at,
    )


def _audit(session: AsyncSession, located: cache.Located, job: BulkDelete, action: str) -> None:
    audit.record(
        session,
        action=f"cache.bulk_delete_{action}",
        object_type="cache bulk delete",
        object_id=job.id,
        object_name=f"{located.name}: {job.pattern_text}",
        service=located.service,
        after={"pattern": job.pattern_text, "max_keys": job.max_keys, "deleted": job.deleted},
    )


async def start(
    session: AsyncSession, located: cache.Located, *, pattern: str, max_keys: int, user: str
) -> BulkDeleteRead:
    located.require_writable()
    full = cache.pattern_of(located, pattern)
    now = utcnow()
    job = BulkDelete(
        instance_id=located.instance_id,
        pattern=full,
        pattern_text=name_of(full).key,
        state=BulkState.RUNNING,
        max_keys=max_keys,
        deleted=0,
        examined=0,
        cursors=None,
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    await session.flush()
    _audit(session, located, job, "start")
    await session.commit()
    return to_read(job)


async def _job(session: AsyncSession, located: cache.Located, job_id: int) -> BulkDelete:
    job = await session.get(BulkDelete, job_id)
    if job is None or job.instance_id != located.instance_id:
        raise NotFound(f"No bulk delete {job_id} on {located.label}.")
    return job


async def get(session: AsyncSession, located: cache.Located, job_id: int) -> BulkDeleteRead:
    return to_read(await _job(session, located, job_id))


async def recent(session: AsyncSession, located: cache.Located) -> list[BulkDeleteRead]:
    rows = await session.scalars(
        select(BulkDelete)
        .where(BulkDelete.instance_id == located.instance_id)
        .order_by(BulkDelete.id.desc())
        .limit(20)
    )
    return [to_read(job) for job in rows]


async def cancel(session: AsyncSession, located: cache.Located, job_id: int) -> BulkDeleteRead:
    job = await _job(session, located, job_id)
    if job.state != BulkState.RUNNING:
        raise Conflict(f"The bulk delete is {job.state}: only a running one can be cancelled.")
    await session.execute(
        update(BulkDelete)
        .where(BulkDelete.id == job.id, BulkDelete.state == BulkState.RUNNING)
        .values(state=BulkState.CANCELLED, finished_at=utcnow(), updated_at=utcnow())
    )
    await session.refresh(job)
    _audit(session, located, job, "cancel")
    await session.commit()
    return to_read(job)


async def resume(
    session: AsyncSession, located: cache.Located, job_id: int, *, max_keys: int | None
) -> BulkDeleteRead:
    """Go on from the stored cursors (a partial or cancelled job), with a new maximum
    when the old one was reached."""
    located.require_writable()
    job = await _job(session, located, job_id)
    if job.state not in (BulkState.PARTIAL, BulkState.CANCELLED):
        raise Conflict(f"The bulk delete is {job.state}: only a stopped one can be resumed.")
    limit = max_keys if max_keys is not None else job.max_keys
    if limit <= job.deleted:
        raise Conflict(
            f"It already deleted {job.deleted} keys, the maximum confirmed: confirm a "
            "larger maximum to go on."
        )
    job.state, job.max_keys, job.reason, job.finished_at = BulkState.RUNNING, limit, None, None
    job.updated_at = utcnow()
    _audit(session, located, job, "resume")
    await session.commit()
    return to_read(job)


class BulkDeleter:
    """The background service that works the running bulk deletes."""

    name = "cache.bulk-deletes"

    def __init__(self, context: AppContext, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._context = context
        self._clock = clock
        section = context.settings.section(CacheSettings)
        self._lease = timedelta(seconds=ROUND_SECONDS + section.cache_timeout_seconds * 4 + 30)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.run_round()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=_TICK_SECONDS)

    async def run_round(self, *, seconds: float = ROUND_SECONDS) -> int:
        """Work every running job for up to ``seconds`` each; returns how many."""
        async with self._context.database.sessionmaker() as session:
            token, keys = await leases.claim(
                session,
                COLUMNS,
                due=BulkDelete.state == BulkState.RUNNING,
                order_by=BulkDelete.id,
                now=self._clock(),
                lease=self._lease,
                limit=10,
            )
        for key in keys:
            await self._work(key, token, seconds)
        return len(keys)

    async def _work(self, job_id: int, token: str, seconds: float) -> None:
        context = self._context
        async with context.database.sessionmaker() as session:
            job = await session.get(BulkDelete, job_id)
            if job is None:
                return
            progress = _Progress(job.id, job.pattern, job.max_keys, job.deleted, job.cursors)
            instance_id = job.instance_id
            try:
                located = await self._located(session, instance_id)
                await _delete_batches(session, progress, located, context.settings, token, seconds)
            except ProblemError as problem:
                await _stop(session, progress, token, BulkState.PARTIAL, problem.detail)
            except Exception:
                _logger.exception("bulk delete %s failed", job_id)
                reason = "an unexpected error: see the worker's log"
                await _stop(session, progress, token, BulkState.PARTIAL, reason)
            else:
                await _release(session, job_id, token)

    async def _located(self, session: AsyncSession, instance_id: int) -> cache.Located:
        service = await session.scalar(
            select(catalog.Service.name)
            .join(catalog.RedisInstance, catalog.RedisInstance.service_id == catalog.Service.id)
            .where(catalog.RedisInstance.id == instance_id)
        )
        return await cache.locate(
            session, self._context.secrets, service=service or "", instance_id=instance_id
        )


@dataclass
class _Progress:
    """A job as the worker goes through it: plain values, stored after each batch."""

    job_id: int
    pattern: bytes
    max_keys: int
    deleted: int
    cursors: dict[str, Any] | None


async def _delete_batches(
    session: AsyncSession,
    job: _Progress,
    located: cache.Located,
    settings: Settings,
    token: str,
    seconds: float,
) -> None:
    """Batches of SCAN + UNLINK for ``seconds``, the progress stored after each one; a
    job cancelled meanwhile (its state no longer running) stops at the next batch."""
    section = settings.section(CacheSettings)
    if located.config.read_only:
        await _stop(session, job, token, BulkState.PARTIAL, "the instance was made read-only")
        return
    loop = asyncio.get_running_loop()
    ends = loop.time() + seconds
    async with cache.opened(located, settings, extra_seconds=seconds) as opened:
        nodes = opened.nodes
        cursors = (
            read_cursor(None, nodes, search_digest(job.pattern, None))
            if job.cursors is None
            else {str(name): int(cursor) for name, cursor in job.cursors.items()}
        )
        by_name = {node.name: node for node in nodes.nodes}
        if set(cursors) - set(by_name):
            raise Conflict("The cluster's primaries changed since the job started: start anew.")
        while cursors:
            room = job.max_keys - job.deleted
            name = next(iter(cursors))
            node = by_name[name]
            following, keys = await node.client.scan(
                cursors[name], match=job.pattern, count=section.cache_bulk_batch
            )
            if room <= 0 and keys:
                # Only a key still matching makes it partial: at the maximum, the scan
                # goes on to its end to tell "all deleted" from "more left".
                reason = (
                    f"stopped at the {job.max_keys} keys confirmed while more still match: "
                    "resume with a larger maximum to go on"
                )
                await _stop(session, job, token, BulkState.PARTIAL, reason)
                return
            batch = cast(list[bytes], keys)[:room]
            # UNLINK frees the memory in the background: a big key never blocks Redis.
            # It counts the keys it found, not those that expired since the scan.
            removed = int(await node.client.unlink(*batch)) if batch else 0
            job.deleted += removed
            if len(batch) < len(keys):
                # The rest of this call's keys are past the maximum; the cursor stays,
                # so a resume scans them again.
                continue
            if int(following) == 0:
                del cursors[name]
            else:
                cursors[name] = int(following)
            job.cursors = dict(cursors)
            if not await _progress(session, job, token, section.cache_bulk_batch):
                return  # cancelled, or another worker took over
            if loop.time() >= ends:
                return
        await _stop(session, job, token, BulkState.DONE, None)


async def _progress(session: AsyncSession, job: _Progress, token: str, examined: int) -> bool:
    """Store a batch's progress, if the job is still running and still ours."""
    result = await session.execute(
        update(BulkDelete)
        .where(leases.held(COLUMNS, job.job_id, token), BulkDelete.state == BulkState.RUNNING)
        .values(
            deleted=job.deleted,
            examined=BulkDelete.examined + examined,
            cursors=job.cursors,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return bool(cast(Any, result).rowcount == 1)


async def _stop(
    session: AsyncSession, job: _Progress, token: str, state: BulkState, reason: str | None
) -> None:
    await session.rollback()
    await session.execute(
        update(BulkDelete)
        .where(leases.held(COLUMNS, job.job_id, token), BulkDelete.state == BulkState.RUNNING)
        .values(
            state=state,
            reason=reason,
            deleted=job.deleted,
            cursors=job.cursors,
            finished_at=utcnow(),
            updated_at=utcnow(),
            lease_token=None,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def _release(session: AsyncSession, job_id: int, token: str) -> None:
    await session.execute(
        update(BulkDelete)
        .where(leases.held(COLUMNS, job_id, token))
        .values(lease_token=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
