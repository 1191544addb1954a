"""Job backends as a connection kind of this module, contributed to the catalog.

The catalog serves them at ``/api/v1/services/{service}/job-backends`` and keeps their
passwords encrypted; the table is the catalog's own ``job_backends``, so the rows
registered before this module existed stay as they were. A backend's ``type`` names
the adapter that reads it: the types are the installed adapters, checked when a
backend is saved or tested, and a stored backend whose adapter has gone lists as it
is and says so on its page.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from gyrfalcon.catalog.service import ConnectionKind, JobBackend, RedisServerRead, redis_extras
from gyrfalcon.connectors.redis import RedisServerConfig
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.settings import Settings
from gyrfalcon.jobs.backends.registry import adapters
from gyrfalcon.jobs.tester import JobBackendTester

BackendType = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$"),
    Field(description="The job system: one of GET /api/v1/job-backend-types"),
]


class JobBackendConfig(RedisServerConfig):
    """A job system of the service, and the Redis it keeps its state in."""

    type: BackendType
    namespace: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="", description="Key prefix or namespace the job system uses, if any"
    )


class JobBackendRead(RedisServerRead):
    type: str
    namespace: str


def _known_type(config: JobBackendConfig, _settings: Settings) -> None:
    if config.type not in adapters():
        installed = ", ".join(adapters()) or "none"
        raise FieldError("type", f"no job system '{config.type}' here; installed: {installed}")


JOB_BACKENDS = ConnectionKind(
    path="job-backends",
    label="job backend",
    model=JobBackend,
    definition=JobBackendConfig,
    read=JobBackendRead,
    tester=JobBackendTester(),
    service_scoped=True,
    read_extras=redis_extras,
    check=_known_type,
)
