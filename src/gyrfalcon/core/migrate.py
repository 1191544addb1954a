"""Schema migrations of the platform database.

The built-in modules share one Alembic chain (``gyrfalcon/migrations/versions``) for
every backend. A module shipped on its own declares ``Module.migrations``: a package
of Alembic versions whose first revision opens its own branch
(``branch_labels=("<module>",)``, ``down_revision=None``); its directory joins the
version locations and ``upgrade`` brings every branch to its head.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from gyrfalcon.core.db import Database
from gyrfalcon.core.plugins import Module

SCRIPT_LOCATION = "gyrfalcon:migrations"
_BUILT_IN_VERSIONS = "gyrfalcon.migrations.versions"


def _directory(package: str) -> str:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"migrations package {package!r} cannot be found")
    return str(Path(next(iter(spec.submodule_search_locations))))


def alembic_config(database_url: str, modules: Iterable[Module] = ()) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    packages = [_BUILT_IN_VERSIONS, *(m.migrations for m in modules if m.migrations)]
    config.set_main_option(
        "version_locations", " ".join(_directory(package) for package in packages)
    )
    config.set_main_option("path_separator", "space")
    return config


def head_revisions(database_url: str, modules: Iterable[Module] = ()) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(database_url, modules))
    return set(script.get_heads())


async def upgrade(database: Database, database_url: str, modules: Iterable[Module] = ()) -> None:
    config = alembic_config(database_url, modules)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with database.engine.begin() as connection:
        await connection.run_sync(run)


async def current_revisions(database: Database) -> set[str]:
    def read(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with database.engine.connect() as connection:
        return await connection.run_sync(read)
