"""Celery's task messages, read without trust and written for its workers.

A task message is kombu's envelope on a broker list (celery/app/amqp.py ``as_task_v2``,
kombu/transport/virtual/base.py ``prepare_message``): JSON with ``headers`` (``task``,
``id``, ``eta``, ``retries``, ``argsrepr`` ...), ``properties`` and a ``body`` that is
Base64 (``body_encoding``) of the serialized ``[args, kwargs, embed]`` (protocol 2) or
of a dict with ``task``/``id``/``args``/``kwargs`` (protocol 1). Workers' control replies
describe tasks with ``Request.info()`` (celery/worker/request.py).

Nothing here raises on a bad payload: a message sent with the pickle serializer, a body
that is not Base64, JSON of the wrong shape all come back with a ``problem`` that says
so, and nothing is ever unpickled.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gyrfalcon.jobs.backends.base import Backend, JobsError
from gyrfalcon.jobs.schemas import BusyWorker, JobDetail, JobSummary
from gyrfalcon.jobs.store import payloads

PICKLE = "application/x-python-serialize"
_READABLE = ("application/json", "json")
_KNOWN_HEADERS = {"task", "id", "eta", "retries", "argsrepr", "kwargsrepr"}


@dataclass
class Task:
    """What a task message or a result says about its task; None where it does not."""

    id: str | None = None
    name: str | None = None
    queue: str | None = None
    args: Any = None
    kwargs: Any = None
    args_text: str | None = None
    """Celery's own repr of the arguments (``argsrepr``), for when the body is unread."""
    eta: datetime | None = None
    retries: int | None = None
    problem: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def safe_text(value: Any, limit: int = 500) -> str | None:
    return payloads.string(value, limit) if isinstance(value, str) else None


def read_message(raw: bytes, limit: int) -> Task:
    """A task message from a broker list: its headers always, its body when it is JSON
    no bigger than ``limit`` bytes."""
    parsed = payloads.parse(raw)
    if parsed.problem:
        return Task(problem=parsed.problem)
    envelope = parsed.fields
    headers = envelope.get("headers")
    headers = headers if isinstance(headers, dict) else {}
    properties = envelope.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    delivery = properties.get("delivery_info")
    delivery = delivery if isinstance(delivery, dict) else {}
    task = Task(
        id=safe_text(headers.get("id"), 200) or safe_text(properties.get("correlation_id"), 200),
        name=safe_text(headers.get("task")),
        queue=safe_text(delivery.get("routing_key")),
        args_text=_repr_text(headers),
        eta=payloads.from_iso(headers.get("eta")),
        retries=payloads.integer(headers.get("retries")),
        extra={
            "headers": {key: value for key, value in headers.items() if key not in _KNOWN_HEADERS},
            "properties": properties,
            "content-type": envelope.get("content-type"),
            "content-encoding": envelope.get("content-encoding"),
        },
    )
    body, task.problem = _body(envelope, headers, properties, limit)
    if task.problem is None:
        _from_body(task, body)
    return task


def _repr_text(headers: dict[str, Any]) -> str | None:
    args, kwargs = safe_text(headers.get("argsrepr"), 2000), safe_text(headers.get("kwargsrepr"))
    if args is None and kwargs is None:
        return None
    return " ".join(part for part in (args, kwargs) if part and part != "{}")


def _body(
    envelope: dict[str, Any], headers: dict[str, Any], properties: dict[str, Any], limit: int
) -> tuple[Any, str | None]:
    content_type = envelope.get("content-type")
    if content_type == PICKLE:
        return None, (
            "sent with the pickle serializer: its arguments are not read (unpickling would "
            "run code from the watched Redis); what shows comes from the message's headers"
        )
    if not isinstance(content_type, str) or content_type not in _READABLE:
        shown = payloads.string(content_type, 100) or "an unnamed type"
        return None, f"serialized as {shown}: its body is not read"
    if headers.get("compression"):
        return None, (
            f"compressed ({payloads.string(headers.get('compression'), 100)}): its body is not read"
        )
    body = envelope.get("body")
    if not isinstance(body, str):
        return None, "the message has no body text"
    if len(body) > limit * 4 // 3 + 4:
        return None, f"its body is {len(body):,} characters: too big to show, cut"
    if properties.get("body_encoding") == "base64":
        try:
            decoded: bytes | str = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return None, "its body is not Base64 although the message says so"
    else:
        decoded = body
    try:
        return json.loads(decoded), None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"its body is not JSON ({type(exc).__name__})"


def _from_body(task: Task, body: Any) -> None:
    if isinstance(body, list) and len(body) == 3:  # protocol 2: [args, kwargs, embed]
        task.args, task.kwargs = body[0], body[1]
    elif isinstance(body, dict) and "task" in body:  # protocol 1 keeps all in the body
        task.args, task.kwargs = body.get("args"), body.get("kwargs")
        task.name = task.name or safe_text(body.get("task"))
        task.id = task.id or safe_text(body.get("id"), 200)
        task.eta = task.eta or payloads.from_iso(body.get("eta"))
        task.retries = (
            task.retries if task.retries is not None else payloads.integer(body.get("retries"))
        )
    else:
        task.problem = "its body is JSON but not Celery's [args, kwargs, embed] (or protocol 1)"
        return
    if not isinstance(task.args, list) or not isinstance(task.kwargs, dict):
        task.problem = "its arguments are not a list and a dict"


def arguments_preview(task: Task, limit: int) -> str:
    if task.args is None and task.kwargs is None:
        return (task.args_text or "")[:limit]
    shown = payloads.compact(task.args if task.args is not None else [], limit)
    if isinstance(task.kwargs, dict) and task.kwargs:
        shown += " " + payloads.compact(task.kwargs, limit)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def arguments(task: Task, limit: int) -> tuple[Any, bool]:
    if task.args is None and task.kwargs is None:
        return task.args_text, False
    return payloads.bounded({"args": task.args, "kwargs": task.kwargs}, limit)


def message_summary(backend: Backend, ref: str, task: Task, queue: str | None) -> JobSummary:
    return JobSummary(
        ref=ref,
        id=task.id,
        name=task.name or "?",
        queue=queue,
        args_preview=arguments_preview(task, backend.limits.preview_chars),
        at=task.eta,
        fails=task.retries if task.retries else None,
        problem=task.problem,
    )


def message_detail(backend: Backend, summary: JobSummary, raw: bytes, task: Task) -> JobDetail:
    limit = backend.limits.payload_bytes
    args, args_cut = arguments(task, limit)
    shown, shown_cut = payloads.text(raw, limit)
    extra, _cut = payloads.bounded(task.extra, limit)
    return JobDetail(
        **summary.model_dump(),
        args=args,
        args_cut=args_cut,
        payload=shown,
        payload_cut=shown_cut,
        extra=extra or {},
    )


def request_task(request: dict[str, Any]) -> Task:
    """A task as a worker's control reply describes it (``Request.info()``)."""
    delivery = request.get("delivery_info")
    delivery = delivery if isinstance(delivery, dict) else {}
    args, kwargs = request.get("args"), request.get("kwargs")
    task = Task(
        id=safe_text(request.get("id"), 200),
        name=safe_text(request.get("name")) or safe_text(request.get("type")),
        queue=safe_text(delivery.get("routing_key")),
    )
    if isinstance(args, str) or isinstance(kwargs, str):  # safe=True: Celery's reprs
        task.args_text = " ".join(str(part) for part in (args, kwargs) if part and part != "{}")
    else:
        task.args, task.kwargs = args, kwargs
    return task


def busy_worker(backend: Backend, hostname: str, request: dict[str, Any]) -> BusyWorker:
    task = request_task(request)
    pid = payloads.integer(request.get("worker_pid"))
    return BusyWorker(
        worker=f"{hostname} (pid {pid})" if pid else hostname,
        job=task.name,
        job_id=task.id,
        queue=task.queue,
        args_preview=arguments_preview(task, backend.limits.preview_chars),
        running_since=payloads.from_seconds(request.get("time_start")),
    )


def new_message(task: Task, queue: str) -> tuple[str, bytes]:
    """A fresh task message for ``task`` under a new id, as Celery's ``apply_async`` with
    the same arguments would send it (protocol 2, JSON, to the default exchange with the
    queue as routing key, priority 0): the new id and the envelope."""
    if not task.name:
        raise JobsError(
            "Celery stored this failure without its task name and arguments (result_extended "
            "is off), so it cannot be sent again from here; delete it, or turn on "
            "result_extended in the service's Celery app."
        )
    if not isinstance(task.args, list) or not isinstance(task.kwargs, dict):
        raise JobsError(
            "Celery kept this task's arguments in a form that cannot be sent again (not a "
            "list and a dict); delete it instead."
        )
    task_id = str(uuid.uuid4())
    headers: dict[str, Any] = {
        "lang": "py",
        "task": task.name,
        "id": task_id,
        "shadow": None,
        "eta": None,
        "expires": None,
        "group": None,
        "group_index": None,
        "retries": 0,
        "timelimit": [None, None],
        "root_id": task_id,
        "parent_id": None,
        "argsrepr": payloads.compact(task.args, 1000),
        "kwargsrepr": payloads.compact(task.kwargs, 1000),
        "origin": "gyrfalcon",
        "ignore_result": False,
        "replaced_task_nesting": 0,
        "stamped_headers": None,
        "stamps": {},
    }
    embed = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
    try:
        body = json.dumps([task.args, task.kwargs, embed], ensure_ascii=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:
        raise JobsError(
            f"Celery could not run this task: its arguments cannot be written back as JSON "
            f"({type(exc).__name__}). Delete it instead."
        ) from None
    envelope = {
        "body": base64.b64encode(body).decode(),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": headers,
        "properties": {
            "correlation_id": task_id,
            "reply_to": "",
            "delivery_mode": 2,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": 0,
            "body_encoding": "base64",
            "delivery_tag": str(uuid.uuid4()),
        },
    }
    return task_id, json.dumps(envelope).encode()
