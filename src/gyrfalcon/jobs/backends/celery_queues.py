"""Celery's queues on kombu's Redis transport: found from the binding sets, read from
the priority lists.

Every queue a producer or worker declared is a member ``<routing key>\\x06\\x16<pattern>
\\x06\\x16<queue>`` of ``_kombu.binding.<exchange>`` (kombu ``_queue_bind``); the sets of
the control and event exchanges (``celery.pidbox``, ``reply.celery.pidbox``,
``celeryev``) hold workers' mailboxes, not queues, and are left out. A queue is one list
per priority step (``<q>``, ``<q>\\x06\\x163``, ``\\x06\\x166``, ``\\x06\\x169``), LPUSHed
and BRPOPed, the lower step first: so the next task to run is at the right end of the
first list that has one, and a queue's jobs are paged in that order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from gyrfalcon.jobs.backends import celery_keys as keys
from gyrfalcon.jobs.backends import celery_messages as messages
from gyrfalcon.jobs.backends.base import ActionOutcome, Backend, BadReference, JobMoved
from gyrfalcon.jobs.schemas import (
    EntryFilter,
    EntryPage,
    JobDetail,
    JobSummary,
    MatchCount,
    QueueInfo,
)
from gyrfalcon.jobs.store import keys as sets
from gyrfalcon.jobs.store import scripts, windows

FIELDS = windows.Fields(name=("headers.task",), id=("headers.id",))
_MOST_QUEUES = 500
_NOT_QUEUES = ("celeryev",)


@dataclass(frozen=True)
class Segment:
    step: int
    source: windows.Source
    size: int


@dataclass(frozen=True)
class Found:
    names: list[str]
    complete: bool


def _source(backend: Backend, queue: str, step: int) -> windows.Source:
    return windows.Source(keys.priority_key(backend, queue, step), "lr")


def _is_control(exchange: str, queue: str) -> bool:
    return (
        exchange.endswith(".pidbox")
        or exchange.startswith("reply.")
        or exchange in _NOT_QUEUES
        or queue.endswith(".pidbox")
        or queue.startswith("celeryev.")
    )


async def names(backend: Backend, *, budget: float | None = None) -> Found:
    """The queues bound in kombu's binding sets, found with a bounded SCAN, and the
    default ``celery`` queue when its list exists."""
    client, prefix = backend.client, keys.broker(backend)
    deadline = time.monotonic() + (
        backend.limits.filter_budget_seconds if budget is None else budget
    )
    pattern = keys.glob(prefix + keys.BINDINGS) + "*"
    binding_sets: set[str] = set()
    cursor: int = 0
    complete = True
    while True:
        cursor, batch = await client.scan(cursor, match=pattern, count=backend.limits.filter_window)
        binding_sets.update(sets.text(key) or "" for key in batch)
        if cursor == 0:
            break
        if time.monotonic() > deadline or len(binding_sets) >= _MOST_QUEUES:
            complete = False
            break
    found: set[str] = set()
    for binding_set in sorted(binding_sets):
        exchange = binding_set.removeprefix(prefix + keys.BINDINGS)
        if _is_control(exchange, ""):
            continue
        for member in await sets.members(client, binding_set, _MOST_QUEUES):
            parts = member.split(keys.SEP)
            if len(parts) == 3 and parts[2] and not _is_control(exchange, parts[2]):
                found.add(parts[2])
    if keys.DEFAULT_QUEUE not in found and await client.exists(
        *(keys.priority_key(backend, keys.DEFAULT_QUEUE, step) for step in keys.PRIORITY_STEPS)
    ):
        found.add(keys.DEFAULT_QUEUE)
    return Found(sorted(found)[:_MOST_QUEUES], complete)


async def segments(backend: Backend, queue: str) -> list[Segment]:
    """The queue's priority lists in the order a worker takes from them."""
    sources = [_source(backend, queue, step) for step in keys.PRIORITY_STEPS]
    async with backend.client.pipeline(transaction=False) as pipe:
        for source in sources:
            pipe.llen(source.key)
        sizes = await sets.each(pipe)
    return [
        Segment(step, source, int(size))
        for step, source, size in zip(keys.PRIORITY_STEPS, sources, sizes, strict=True)
    ]


async def infos(backend: Backend, queue_names: list[str]) -> list[QueueInfo]:
    """Each queue's size over its priority lists. Celery's messages carry no time they were
    sent at (headers and properties alike), so latency is unknown."""
    async with backend.client.pipeline(transaction=False) as pipe:
        for name in queue_names:
            for step in keys.PRIORITY_STEPS:
                pipe.llen(keys.priority_key(backend, name, step))
        sizes = await sets.each(pipe)
    steps = len(keys.PRIORITY_STEPS)
    return [
        QueueInfo(
            name=name,
            size=sum(int(size) for size in sizes[index * steps : (index + 1) * steps]),
            latency_seconds=None,
            oldest_enqueued_at=None,
            paused=None,
        )
        for index, name in enumerate(queue_names)
    ]


def _summary(backend: Backend, queue: str, step: int, member: windows.Member) -> JobSummary:
    task = messages.read_message(member.raw, backend.limits.payload_bytes)
    return messages.message_summary(backend, _ref(step, member), task, queue)


def _ref(step: int, member: windows.Member) -> str:
    return f"{step}:{member.ref}"


def _parse_ref(ref: str) -> tuple[int, str]:
    step, colon, rest = ref.partition(":")
    if not colon or not step.isdigit() or int(step) not in keys.PRIORITY_STEPS:
        raise BadReference(f"'{ref}' is not a job reference of this queue")
    return int(step), rest


async def entries(
    backend: Backend, queue: str, *, position: int, limit: int, where: EntryFilter
) -> EntryPage:
    limit = min(limit, backend.limits.page_max)
    parts = await segments(backend, queue)
    total = sum(part.size for part in parts)
    groups = windows.filter_args(where, FIELDS)
    deadline = time.monotonic() + backend.limits.filter_budget_seconds
    items: list[JobSummary] = []
    offset, at, complete = 0, position, True
    for part in parts:
        if len(items) >= limit or not complete:
            break
        if at >= offset + part.size:
            offset += part.size
            continue
        local = at - offset
        if where.empty:
            members, _size = await windows.page(
                backend.client, part.source, local, limit - len(items)
            )
            reached: int | None = local + len(members)
        else:
            scan = await windows.scan(
                backend.client,
                part.source,
                groups,
                position=local,
                limit=limit - len(items),
                window=backend.limits.filter_window,
                budget_seconds=max(0.0, deadline - time.monotonic()),
            )
            members, reached, complete = scan.members, scan.next_position, scan.complete
        items += [_summary(backend, queue, part.step, member) for member in members]
        at = offset + (reached if reached is not None else part.size)
        offset += part.size
    return EntryPage(
        items=items,
        total=total,
        position=position,
        next_position=at if at < total else None,
        scanned=max(0, at - position),
        filtered=not where.empty,
        complete=complete,
    )


async def count(backend: Backend, queue: str, where: EntryFilter) -> MatchCount:
    groups = windows.filter_args(where, FIELDS)
    deadline = time.monotonic() + backend.limits.filter_budget_seconds
    matched = scanned = total = 0
    complete = True
    for part in await segments(backend, queue):
        total += part.size
        if not complete or not part.size:
            continue
        found, looked, _size, complete = await windows.count(
            backend.client,
            part.source,
            groups,
            window=backend.limits.filter_window,
            budget_seconds=max(0.0, deadline - time.monotonic()),
        )
        matched, scanned = matched + found, scanned + looked
    return MatchCount(count=matched, scanned=scanned, total=total, complete=complete)


async def _located(backend: Backend, queue: str, ref: str) -> tuple[int, windows.Member]:
    step, rest = _parse_ref(ref)
    source = _source(backend, queue, step)
    member = await windows.locate(backend.client, source, rest)
    if member is None:
        raise JobMoved(f"The job is not in queue {queue} any more: a worker took it, or it went.")
    return step, member


async def job(backend: Backend, queue: str, ref: str) -> JobDetail:
    _step, member = await _located(backend, queue, ref)
    task = messages.read_message(member.raw, backend.limits.payload_bytes)
    summary = messages.message_summary(backend, ref, task, queue)
    return messages.message_detail(backend, summary, member.raw, task)


async def delete(backend: Backend, queue: str, ref: str) -> ActionOutcome:
    step, member = await _located(backend, queue, ref)
    source = _source(backend, queue, step)
    task = messages.read_message(member.raw, backend.limits.payload_bytes)
    summary = messages.message_summary(backend, ref, task, queue)
    [moved] = await scripts.move(
        backend.client, source=(source.kind, source.key), how="delete", jobs=[(member.raw, b"")]
    )
    if not moved:
        raise JobMoved(f"The job left queue {queue} just now: a worker took it first.")
    return ActionOutcome(summary)
