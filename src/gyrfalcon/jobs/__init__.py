"""Background jobs: the worker pools, queues, scheduled, retry and dead jobs of every
service's job systems, and retrying, running, killing and deleting jobs by hand.

Job backends are a connection kind of this module (``kind.py``), contributed to the
catalog; each job system is read by an adapter of the ``gyrfalcon.job_backends``
entry-point group (``backends/``).
"""

from __future__ import annotations

from gyrfalcon.catalog.service import CONNECTION_KINDS
from gyrfalcon.core.plugins import Module
from gyrfalcon.jobs.kind import JOB_BACKENDS
from gyrfalcon.jobs.router import router
from gyrfalcon.jobs.settings import JobsSettings

module = Module(
    name="jobs",
    title="Background jobs",
    description="Worker pools, queues, scheduled, retry and dead jobs, with retry by hand.",
    router=router,
    settings=JobsSettings,
    contributes={CONNECTION_KINDS: (JOB_BACKENDS,)},
)
