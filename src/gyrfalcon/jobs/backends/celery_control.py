"""Celery's remote control (``celery inspect``), spoken over the backend's own client.

As kombu's ``Mailbox._broadcast`` and ``_collect`` do it on the Redis transport
(kombu/pidbox.py, kombu/transport/redis.py, celery/app/control.py):

* bind a reply queue ``<oid>.reply.celery.pidbox`` to the direct exchange
  ``reply.celery.pidbox`` with routing key ``<oid>``: a member
  ``<oid>\\x06\\x16\\x06\\x16<queue>`` of the set ``_kombu.binding.reply.celery.pidbox``,
  which a worker reads to route its answer (``_lookup`` / ``get_table``);
* ``PUBLISH /<db>.celery.pidbox`` (``keyprefix_fanout``; the fanout exchange's topic) a
  kombu envelope whose Base64 JSON body is ``{method, arguments, destination, pattern,
  matcher, ticket, reply_to}``; each worker answers ``{<hostname>: <result>}`` by
  LPUSHing an envelope with the ticket in its headers onto the reply queue;
* collect the answers for the reply window, then remove the binding and the list.

Several methods go out in one round, each with its own ticket, so a page waits for one
reply window however many it asks. PUBLISH answers how many workers listen, so the
round ends as soon as each of them has answered each method. A worker that is offline
(or too busy to read its mailbox) simply does not answer: it is missing, never stale.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from gyrfalcon.jobs.backends import celery_keys as keys
from gyrfalcon.jobs.backends import celery_scripts
from gyrfalcon.jobs.backends.base import Backend
from gyrfalcon.jobs.store import scripts

_MOST_REPLIES = 2000
_REPLY_BYTES = 16 * 1024 * 1024
"""A reply bigger than this (a worker holding thousands of tasks) is not decoded."""


@dataclass
class Replies:
    """What the workers answered: by method, by worker hostname."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    answered_at: dict[str, datetime] = field(default_factory=dict)
    listening: int = 0
    """How many subscribers PUBLISH reached: the workers that could answer."""
    unreadable: int = 0

    def of(self, method: str) -> dict[str, Any]:
        return self.answers.get(method, {})

    @property
    def workers(self) -> list[str]:
        return sorted(self.answered_at)


def reply_seconds(backend: Backend) -> float:
    """The backend's reply window, at most half of its client's time limit, so a page
    that waits for the workers still has time for the rest."""
    window = backend.limits.control_reply_seconds
    limit = backend.client.connection_pool.connection_kwargs.get("socket_timeout")
    if isinstance(limit, int | float) and limit > 0:
        window = min(window, limit / 2)
    return window


def _request(method: str, arguments: dict[str, Any], ticket: str, oid: str, window: float) -> str:
    body = {
        "method": method,
        "arguments": arguments,
        "destination": None,
        "pattern": None,
        "matcher": None,
        "ticket": ticket,
        "reply_to": {"exchange": keys.REPLY_EXCHANGE, "routing_key": oid},
    }
    return json.dumps(
        {
            "body": base64.b64encode(json.dumps(body).encode()).decode(),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": {"clock": 1, "expires": time.time() + window},
            "properties": {
                "delivery_mode": 2,
                "delivery_info": {"exchange": keys.CONTROL_EXCHANGE, "routing_key": ""},
                "priority": 0,
                "body_encoding": "base64",
                "delivery_tag": str(uuid.uuid4()),
            },
        }
    )


async def broadcast(
    backend: Backend, methods: dict[str, dict[str, Any]], *, window: float | None = None
) -> Replies:
    """Ask every worker ``methods`` (name: arguments) in one round of at most ``window``
    seconds (the backend's reply window by default)."""
    window = reply_seconds(backend) if window is None else window
    client, prefix = backend.client, keys.broker(backend)
    oid = str(uuid.uuid4())
    queue = f"{oid}.{keys.REPLY_EXCHANGE}"
    binding_set = f"{prefix}{keys.BINDINGS}{keys.REPLY_EXCHANGE}"
    binding = f"{oid}{keys.SEP}{keys.SEP}{queue}"
    reply_key = prefix + queue
    channel = f"{prefix}/{keys.database(client)}.{keys.CONTROL_EXCHANGE}"
    tickets = {str(uuid.uuid4()): method for method in methods}
    replies = Replies()
    await client.sadd(binding_set, binding)
    try:
        async with client.pipeline(transaction=False) as pipe:
            for ticket, method in tickets.items():
                pipe.publish(channel, _request(method, methods[method], ticket, oid, window))
            reached = await pipe.execute()
        replies.listening = max((int(count) for count in reached), default=0)
        expected = replies.listening * len(tickets)
        deadline = time.monotonic() + window
        received = 0
        while received < min(expected, _MOST_REPLIES):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            # Never 0: BRPOP waits forever on a zero timeout.
            popped = await client.brpop([reply_key], timeout=max(0.01, round(left, 3)))
            if not popped:
                break
            received += 1
            _take(replies, tickets, cast(bytes, popped[1]), backend.now())
    finally:
        lists = [keys.priority_key(backend, queue, step) for step in keys.PRIORITY_STEPS]
        await scripts.run(client, celery_scripts.CLEAN, [binding_set, *lists], [binding])
    return replies


def _take(replies: Replies, tickets: dict[str, str], raw: bytes, now: datetime) -> None:
    if len(raw) > _REPLY_BYTES:
        replies.unreadable += 1
        return
    try:
        envelope = json.loads(raw)
        method = tickets[envelope["headers"]["ticket"]]
        body = envelope["body"]
        if envelope.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body, validate=True)
        answer = json.loads(body)
    except (KeyError, TypeError, AttributeError, ValueError, binascii.Error, RecursionError):
        replies.unreadable += 1
        return
    if not isinstance(answer, dict):
        replies.unreadable += 1
        return
    for hostname, result in answer.items():
        if not isinstance(hostname, str):
            continue
        replies.answered_at.setdefault(hostname, now)
        if isinstance(result, dict) and set(result) == {"error"}:
            continue  # the worker does not know the method (an older Celery)
        replies.answers.setdefault(method, {})[hostname] = result
