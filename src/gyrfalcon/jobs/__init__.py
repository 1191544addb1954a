"""Background jobs: the worker pools, queues, scheduled, retry and dead jobs of every
service's job systems, and retrying, running, killing and deleting jobs by hand.

Job backends are a connection kind of this module (``kind.py``), contributed to the
catalog; each job system is read by an adapter of the ``gyrfalcon.job_backends``
entry-point group (``backends/``).
"""

from __future__ import annotations

from gyrfalcon.catalog.service import CONNECTION_KINDS
from gyrfalcon.core.plugins import Module, NavEntry
from gyrfalcon.home.service import HOME_TILES
from gyrfalcon.jobs.home import FailedJobsTile
from gyrfalcon.jobs.kind import JOB_BACKENDS
from gyrfalcon.jobs.router import router
from gyrfalcon.jobs.sampler import CountsSampler
from gyrfalcon.jobs.settings import JobsSettings

module = Module(
    name="jobs",
    title="Background jobs",
    description="Worker pools, queues, scheduled, retry and dead jobs, with retry by hand.",
    router=router,
    nav=NavEntry(title="Jobs", path="/jobs", icon="ThunderboltOutlined", order=30),
    settings=JobsSettings,
    models=("gyrfalcon.jobs.models",),
    background_services=lambda context: [CountsSampler(context)],
    contributes={CONNECTION_KINDS: (JOB_BACKENDS,), HOME_TILES: (FailedJobsTile(),)},
)
