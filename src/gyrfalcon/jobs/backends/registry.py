"""Which adapter reads which job system.

Adapters are the ``gyrfalcon.job_backends`` entry-point group, named after the job
backend ``type`` they read (``gocraft``, ``sidekiq`` ...): the types a job backend of
the catalog may have are exactly the installed adapters.
"""

from __future__ import annotations

from functools import cache

from gyrfalcon.core.plugins import load_adapters
from gyrfalcon.jobs.backends.base import JobBackendAdapter

JOB_BACKENDS_GROUP = "gyrfalcon.job_backends"


@cache
def adapters() -> dict[str, JobBackendAdapter]:
    return dict(sorted(load_adapters(JOB_BACKENDS_GROUP, JobBackendAdapter).items()))  # type: ignore[type-abstract]


def adapter_for(backend_type: str) -> JobBackendAdapter | None:
    return adapters().get(backend_type)
