"""Where SQLite datasources may point: only inside directories an operator allows.

A SQLite "database" is a file path on Gyrfalcon's own machine, so without a rule a user
with write on one service could read the platform's own database (password hashes,
every service's secrets and audit rows) or probe which files exist. The rule:

* a SQLite datasource names an absolute path to a plain file, no URI form
  (``file:...``), no ``:memory:`` and no URL options (``?uri=true`` and the like);
* the path, with every symbolic link resolved, lies inside one of
  ``GYRFALCON_SQLITE_DATASOURCE_DIRS`` (none by default: SQLite datasources are refused);
* never inside the platform's data directory, nor the platform's own SQLite file.

It is checked when a datasource is saved and tested, and again before every monitor
run and preview, so a stored definition made before the rule, or a symbolic link
changed after saving, cannot slip through. The refusal reads the same whether or not
the file exists, so it tells nothing about the machine's files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.failures import CheckFailed
from gyrfalcon.core.settings import Settings

_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class SqlitePolicy:
    allowed: tuple[Path, ...]
    forbidden: tuple[Path, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> SqlitePolicy:
        forbidden = [settings.data_dir]
        if settings.is_embedded:
            platform_file = make_url(settings.resolved_database_url).database
            if platform_file:
                # The journal files beside it hold the same rows.
                forbidden += [Path(platform_file + suffix) for suffix in _SQLITE_SIDE_FILES]
        return cls(
            allowed=tuple(_resolved(path) for path in settings.sqlite_datasource_dirs),
            forbidden=tuple(_resolved(path) for path in forbidden),
        )

    def check(self, config: DatasourceConfig) -> None:
        """Raises a FieldError on ``database`` (or ``options``) unless the file may be read."""
        if config.dialect != "sqlite":
            return
        if config.options:
            raise FieldError("options", "SQLite datasources take no URL options")
        database = config.database or ""
        if database.startswith("file:") or database == ":memory:" or not os.path.isabs(database):
            raise FieldError("database", "must be an absolute path to an SQLite file")
        if not self.allowed:
            raise FieldError(
                "database",
                "SQLite datasources are turned off: an operator can allow directories with "
                "GYRFALCON_SQLITE_DATASOURCE_DIRS",
            )
        path = _resolved(Path(database))
        if not any(path.is_relative_to(directory) for directory in self.allowed):
            shown = ", ".join(str(directory) for directory in self.allowed)
            raise FieldError("database", f"SQLite files must lie inside: {shown}")
        if any(path.is_relative_to(place) for place in self.forbidden):
            raise FieldError("database", "the platform's own data cannot be a datasource")


def _resolved(path: Path) -> Path:
    # realpath follows every symbolic link (also of missing files' parents) and normalises '..'.
    return Path(os.path.realpath(path))


def require_sqlite_file(database: str | None) -> None:
    # Connecting would create a missing file: a test must not leave one behind.
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if not Path(database).is_file():
        raise CheckFailed(f"SQLite file '{database}' does not exist")
