"""The demo's settings (`GYRFALCON_DEMO_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class DemoSettings(SettingsSection):
    """`gyrfalcon demo`: the sample cluster `make run` starts beside the console."""

    demo_dir: Path = Field(
        default=Path(".gyrfalcon-demo"),
        description="The demo's folder: SQLite files of the sample services (when "
        "PostgreSQL is not reachable), the mail sink's messages, logs and the demo logins. "
        "Kept apart from the data directory, whose files datasources may never read.",
    )
    demo_postgres_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        description="A PostgreSQL server on which the demo creates one database per sample "
        "service (`gyrfalcon_demo_<service>`); when it cannot be reached the services use "
        "SQLite files in the demo's folder.",
    )
    demo_database_prefix: str = Field(
        default="gyrfalcon_demo_",
        pattern=r"^[a-z][a-z0-9_]{0,40}$",
        description="Names of the sample services' PostgreSQL databases: this, then the "
        "service's name.",
    )
    demo_redis_url: str = Field(
        default="redis://127.0.0.1:6379/15",
        description="A Redis the sample services cache in, registered as each service's "
        "Redis; when it cannot be reached the services are registered without one.",
    )
    demo_first_port: Annotated[int, Field(ge=1024, le=65000)] = Field(
        default=8101,
        description="The demo's processes (mail sink, sample services) listen on "
        "127.0.0.1 from this port up.",
    )
    demo_cycle_seconds: Annotated[int, Field(ge=10, le=3600)] = Field(
        default=60,
        description="How long the sample services' inconsistent rows stay before they "
        "are fixed, and how long they stay fixed before new ones appear.",
    )
