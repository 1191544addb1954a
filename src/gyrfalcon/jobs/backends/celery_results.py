"""Celery's failed tasks, from its Redis result backend: the Dead view and its actions.

The result backend keeps one string per task, ``celery-task-meta-<id>``, and no index of
the failures (celery/backends/base.py, ``KeyValueStoreBackend``). So the only way to
find them is a SCAN of the keyspace: a read-only script does one bounded SCAN step per
call (``filter_window`` keys) and reads each result inside Redis, answering only the
key, ``date_done`` and whether the filter matches for each failure. Steps go on until
the keyspace is done or the filter budget is spent (then the page says it is not
complete). The failures found are ordered newest first by ``date_done`` and paged by
rank in that order, as the other systems' dead sets are.

Retry sends a fresh task message with the same arguments under a new task id and
deletes the failure, in one script that first checks the result's exact bytes: two
people retrying one failure send it once, the other gets "the job has moved".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from gyrfalcon.jobs.backends import celery_failures as failures
from gyrfalcon.jobs.backends import celery_keys as keys
from gyrfalcon.jobs.backends import celery_messages as messages
from gyrfalcon.jobs.backends import celery_scripts
from gyrfalcon.jobs.backends.base import (
    ActionOutcome,
    Backend,
    BadReference,
    JobMoved,
    JobsError,
)
from gyrfalcon.jobs.schemas import (
    Action,
    BulkResult,
    EntryFilter,
    EntryPage,
    JobDetail,
    JobSummary,
    MatchCount,
)
from gyrfalcon.jobs.store import bulk as bulk_steps
from gyrfalcon.jobs.store import payloads, scripts, windows

DECODE_BYTES = 1024 * 1024
"""Results up to this size are decoded inside Redis; bigger ones are matched by their
first 64 KiB and shown as too big."""
MOST_FAILURES = 200_000
"""Failures one page collects at most: past that the page says it is not complete."""
_FIELDS = windows.Fields(name=("name",), id=("task_id",))
_MGET_CHUNK = 200


@dataclass(frozen=True)
class Found:
    key: str
    done_at: datetime | None
    how: str
    matches: bool

    def task_id(self, backend: Backend) -> str:
        return self.key.removeprefix(keys.results(backend))


@dataclass(frozen=True)
class Scanned:
    failures: list[Found]
    """Newest first."""
    read: int
    complete: bool


async def scan(backend: Backend, where: EntryFilter, *, budget: float | None = None) -> Scanned:
    """Every failure in the keyspace (or as many as the budget reaches), newest first,
    each marked with whether ``where`` matches it."""
    limits = backend.limits
    deadline = time.monotonic() + (limits.filter_budget_seconds if budget is None else budget)
    groups = windows.filter_args(where, _FIELDS)
    pattern = keys.glob(keys.results(backend)) + "*"
    found: list[Found] = []
    cursor, read, complete = b"0", 0, True
    while True:
        reply = await scripts.run(
            backend.client,
            celery_scripts.SCAN_FAILURES,
            [],
            [cursor, limits.filter_window, pattern, DECODE_BYTES, *groups],
        )
        cursor, read = reply[0], read + int(reply[1])
        rows = cast(list[bytes], reply[2])
        for offset in range(0, len(rows), 4):
            key, done, how, hit = rows[offset : offset + 4]
            found.append(
                Found(
                    keys_text(key),
                    payloads.from_iso(keys_text(done)),
                    keys_text(how),
                    hit == b"1",
                )
            )
        if cursor in (b"0", "0", 0):
            break
        if time.monotonic() > deadline or len(found) >= MOST_FAILURES:
            complete = False
            break
    found.sort(key=lambda one: (one.done_at is None, -_seconds(one.done_at), one.key))
    return Scanned(found, read, complete)


def keys_text(raw: Any) -> str:
    return raw.decode("utf-8", errors="backslashreplace") if isinstance(raw, bytes) else str(raw)


def _seconds(at: datetime | None) -> float:
    return at.timestamp() if at is not None else 0.0


def _ref(task_id: str, raw: bytes) -> str:
    return f"{task_id}~{windows.digest(raw)}"


def parse_ref(ref: str) -> tuple[str, str]:
    task_id, _, wanted = ref.rpartition("~")
    if not task_id or len(wanted) != 20:
        raise BadReference(f"'{ref}' is not a job reference of this view")
    return task_id, wanted


async def _summaries(backend: Backend, chosen: list[Found]) -> list[JobSummary]:
    if not chosen:
        return []
    stored = cast(list[bytes | None], await backend.client.mget([one.key for one in chosen]))
    items = []
    for one, raw in zip(chosen, stored, strict=True):
        if raw is None:
            continue  # retried, deleted or expired since the scan
        task_id = one.task_id(backend)
        items.append(
            failures.failure_summary(
                backend, _ref(task_id, raw), failures.read_result(raw, task_id)
            )
        )
    return items


async def entries(backend: Backend, *, position: int, limit: int, where: EntryFilter) -> EntryPage:
    limit = min(limit, backend.limits.page_max)
    scanned = await scan(backend, where)
    ordered = scanned.failures
    chosen: list[Found] = []
    at = position
    while at < len(ordered) and len(chosen) < limit:
        if ordered[at].matches:
            chosen.append(ordered[at])
        at += 1
    return EntryPage(
        items=await _summaries(backend, chosen),
        total=len(ordered),
        position=position,
        next_position=at if at < len(ordered) else None,
        scanned=max(0, at - position),
        filtered=not where.empty,
        complete=scanned.complete,
    )


async def count(backend: Backend, where: EntryFilter) -> MatchCount:
    scanned = await scan(backend, where)
    return MatchCount(
        count=sum(one.matches for one in scanned.failures),
        scanned=len(scanned.failures),
        total=len(scanned.failures),
        complete=scanned.complete,
    )


async def _located(backend: Backend, ref: str) -> tuple[str, bytes, failures.Failure]:
    task_id, wanted = parse_ref(ref)
    key = keys.results(backend) + task_id
    raw = cast(bytes | None, await backend.client.get(key))
    if raw is None or windows.digest(raw) != wanted:
        raise JobMoved("The failure is not in dead any more: it was retried, deleted or expired.")
    failure = failures.read_result(raw, task_id)
    if failure.status is not None and failure.status != "FAILURE":
        raise JobMoved("The task is not a failure any more.")
    return key, raw, failure


async def job(backend: Backend, ref: str) -> JobDetail:
    _key, raw, failure = await _located(backend, ref)
    return failures.failure_detail(backend, ref, raw, failure)


async def act(backend: Backend, action: Action, ref: str) -> ActionOutcome:
    key, raw, failure = await _located(backend, ref)
    summary = failures.failure_summary(backend, ref, failure)
    if action is Action.DELETE:
        if not await scripts.run(backend.client, celery_scripts.DELETE, [key], [raw]):
            raise JobMoved("The failure left dead just now: someone deleted or retried it first.")
        return ActionOutcome(summary)
    queue, new_id, moved = await _retry(backend, key, raw, failure)
    if not moved:
        raise JobMoved("The failure left dead just now: someone retried or deleted it first.")
    return ActionOutcome(summary, queue, new_id)


async def _retry(
    backend: Backend, key: str, raw: bytes, failure: failures.Failure
) -> tuple[str, str, bool]:
    if failure.task.problem == failures.UNREADABLE_TEXT:
        raise JobsError(f"Celery could not run this task: {failure.task.problem}.")
    queue = failure.task.queue or keys.DEFAULT_QUEUE
    new_id, message = messages.new_message(failure.task, queue)
    destination = keys.priority_key(backend, queue, 0)
    moved = await scripts.run(
        backend.client, celery_scripts.RETRY, [key, destination], [raw, message]
    )
    return queue, new_id, bool(moved)


async def bulk(backend: Backend, action: Action, where: EntryFilter, expected: int) -> BulkResult:
    """``action`` on the failures ``where`` matches, newest first, never more than the
    ``expected`` count the person confirmed. A retry skips the failures Celery stored
    without their task name and arguments (no ``result_extended``)."""
    scanned = await scan(backend, where)
    matching = [one for one in scanned.failures if one.matches]
    counted = MatchCount(
        count=len(matching),
        scanned=len(scanned.failures),
        total=len(scanned.failures),
        complete=scanned.complete,
    )
    result = bulk_steps.started(action, counted, expected)
    budget = bulk_steps.Budget(backend.limits.bulk_budget_seconds)
    with bulk_steps.kept_when_stopped(result):
        for start in range(0, min(len(matching), expected), _MGET_CHUNK):
            if budget.spent(result):
                break
            chunk = matching[start : min(start + _MGET_CHUNK, expected)]
            stored = cast(list[bytes | None], await backend.client.mget([one.key for one in chunk]))
            for one, raw in zip(chunk, stored, strict=True):
                await _bulk_one(backend, action, one, raw, result)
    return bulk_steps.finish(result, counted, expected)


async def _bulk_one(
    backend: Backend, action: Action, one: Found, raw: bytes | None, result: BulkResult
) -> None:
    result.matched += 1
    if raw is None:
        result.moved += 1
        return
    task_id = one.task_id(backend)
    if action is Action.DELETE:
        moved = bool(await scripts.run(backend.client, celery_scripts.DELETE, [one.key], [raw]))
    else:
        failure = failures.read_result(raw, task_id)
        if not failure.extended:
            result.skipped += 1
            return
        try:
            _queue, _new_id, moved = await _retry(backend, one.key, raw, failure)
        except JobsError:
            result.skipped += 1
            return
    if moved:
        bulk_steps.done(result, task_id)
    else:
        result.moved += 1
