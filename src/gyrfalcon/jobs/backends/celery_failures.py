"""Celery's results, as a Redis result backend keeps them under ``celery-task-meta-<id>``
(celery/backends/base.py ``_get_result_meta``): JSON with ``status``, ``result`` (for a
failure ``exc_type`` and ``exc_message``), ``traceback``, ``date_done``, and with
``result_extended`` also ``name``, ``args``, ``kwargs``, ``worker``, ``retries`` and
``queue``. A result in another serializer (pickle, msgpack) is not read, only said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gyrfalcon.jobs.backends.base import Backend
from gyrfalcon.jobs.backends.celery_messages import Task, arguments, arguments_preview, safe_text
from gyrfalcon.jobs.schemas import JobDetail, JobSummary
from gyrfalcon.jobs.store import payloads

_KNOWN_RESULT = {"status", "result", "traceback", "date_done", "task_id", "name", "args",
                 "kwargs", "queue", "retries"}  # fmt: skip
UNREADABLE_TEXT = (
    "the result holds text that is not Unicode (a lone surrogate), shown with \ufffd in its "
    "place, so it cannot be sent again as it was"
)
NOT_EXTENDED = (
    "Celery stored this failure without its task name and arguments (result_extended is "
    "off), so it cannot be sent again from here"
)


@dataclass(frozen=True)
class Failure:
    """One failed task's result, as far as it could be read."""

    task: Task
    status: str | None
    error_class: str | None
    error_message: str | None
    traceback: str | None
    done_at: datetime | None
    fields: dict[str, Any]
    extended: bool


def read_result(raw: bytes, task_id: str) -> Failure:
    parsed = payloads.parse(raw)
    if parsed.problem:
        problem = (
            "the result is not JSON (result_serializer pickle, msgpack or yaml, or "
            f"compressed), so it is not read: {parsed.problem}"
        )
        return Failure(Task(id=task_id, problem=problem), None, None, None, None, None, {}, False)
    meta = parsed.fields
    name = safe_text(meta.get("name"))
    extended = name is not None and "args" in meta and not parsed.repaired
    task = Task(
        id=safe_text(meta.get("task_id"), 200) or task_id,
        name=name,
        queue=safe_text(meta.get("queue")),
        args=meta.get("args"),
        kwargs=meta.get("kwargs"),
        retries=payloads.integer(meta.get("retries")),
        problem=UNREADABLE_TEXT if parsed.repaired else None if extended else NOT_EXTENDED,
    )
    error_class, error_message = _error(meta.get("result"))
    return Failure(
        task=task,
        status=safe_text(meta.get("status"), 50),
        error_class=error_class,
        error_message=error_message,
        traceback=meta.get("traceback") if isinstance(meta.get("traceback"), str) else None,
        done_at=payloads.from_iso(meta.get("date_done")),
        fields=meta,
        extended=extended,
    )


def _error(result: Any) -> tuple[str | None, str | None]:
    """``exc_type`` and ``exc_message`` (a list of the exception's args) of a failure."""
    if not isinstance(result, dict):
        return None, payloads.string(result, 2000)
    message = result.get("exc_message")
    if isinstance(message, list):
        text = ", ".join(str(part) if isinstance(part, str) else payloads.string(part, 2000) or ""
                         for part in message)  # fmt: skip
    else:
        text = payloads.string(message, 2000) or ""
    return safe_text(result.get("exc_type")), text[:2000] or None


def failure_summary(backend: Backend, ref: str, failure: Failure) -> JobSummary:
    task = failure.task
    return JobSummary(
        ref=ref,
        id=task.id,
        name=task.name or "?",
        queue=task.queue,
        args_preview=arguments_preview(task, backend.limits.preview_chars),
        at=failure.done_at,
        failed_at=failure.done_at,
        fails=task.retries + 1 if task.retries is not None else None,
        error_class=failure.error_class,
        error_message=failure.error_message,
        problem=task.problem,
    )


def failure_detail(backend: Backend, ref: str, raw: bytes, failure: Failure) -> JobDetail:
    limit = backend.limits.payload_bytes
    summary = failure_summary(backend, ref, failure)
    args, args_cut = arguments(failure.task, limit) if failure.extended else (None, False)
    trace, trace_cut = payloads.lines(failure.traceback, limit)
    shown, shown_cut = payloads.pretty(raw, payloads.parse(raw), limit)
    extra, _cut = payloads.bounded(
        {key: value for key, value in failure.fields.items() if key not in _KNOWN_RESULT}, limit
    )
    return JobDetail(
        **summary.model_dump(),
        args=args,
        args_cut=args_cut,
        backtrace=trace,
        backtrace_cut=trace_cut,
        payload=shown,
        payload_cut=shown_cut,
        extra=extra or {},
    )
