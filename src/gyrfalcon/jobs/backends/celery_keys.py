"""Where Celery on Redis keeps things (kombu/transport/redis.py, celery/backends/base.py).

The backend's namespace is kombu's ``global_keyprefix``: prepended as it is to every
broker key and to the pidbox channel (kombu's ``PrefixedStrictRedis`` prefixes PUBLISH
too). Celery's result backend takes the same prefix from
``result_backend_transport_options`` and adds ``_`` unless it already ends in one of
``:_-.``; the console assumes the service gives both the same prefix.
"""

from __future__ import annotations

import re

from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import Backend

SEP = "\x06\x16"
"""kombu's ``Channel.sep``: between the parts of a binding and before a priority."""
PRIORITY_STEPS = (0, 3, 6, 9)
"""kombu's ``PRIORITY_STEPS``: a queue is one list per step, and BRPOP serves the lower
step first; step 0 is the bare queue name."""
DEFAULT_QUEUE = "celery"
BINDINGS = "_kombu.binding."
RESULT = "celery-task-meta-"
CONTROL_EXCHANGE = "celery.pidbox"
REPLY_EXCHANGE = "reply.celery.pidbox"
_GLOB = re.compile(r"([*?\[\]\\])")


def broker(backend: Backend) -> str:
    return backend.namespace


def results(backend: Backend) -> str:
    prefix = backend.namespace
    if prefix and prefix[-1] not in ":_-.":
        prefix += "_"
    return prefix + RESULT


def priority_key(backend: Backend, queue: str, step: int) -> str:
    """kombu's ``_q_for_pri``: the list of ``queue`` for one priority step."""
    return broker(backend) + (f"{queue}{SEP}{step}" if step else queue)


def database(client: Redis) -> int:
    """The database number kombu puts in the pidbox channel (``keyprefix_fanout``)."""
    db = client.connection_pool.connection_kwargs.get("db", 0)
    return int(db) if isinstance(db, int | str) and str(db).isdigit() else 0


def glob(text: str) -> str:
    """``text`` as a SCAN MATCH pattern that matches only itself."""
    return _GLOB.sub(r"\\\1", text)
