"""Typed settings read from ``GYRFALCON_*`` environment variables.

The embedded default (SQLite in a data directory, a generated secret key) lets
``gyrfalcon serve`` start on a fresh machine; production points the same code at
PostgreSQL or MySQL and must then supply its own secret key, because replicas
have to share it.
"""

from __future__ import annotations

import ipaddress
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
DATABASE_FILE = "gyrfalcon.db"

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "mysql": "mysql+aiomysql",
    "mariadb": "mysql+aiomysql",
}


class ConfigurationError(Exception):
    """Settings that cannot work; the CLI prints the message on one line and exits."""


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class SettingsSection(BaseSettings):
    """A module's own settings, declared with its ``Module(settings=...)``.

    Still ``GYRFALCON_*`` variables, listed in docs/configuration.md with the core's.
    Read one with :meth:`Settings.section`, which also applies the values the
    ``Settings`` was built with (the command line and tests pass them there).
    """

    model_config = SettingsConfigDict(env_prefix="GYRFALCON_", env_file=None, extra="ignore")


SectionT = TypeVar("SectionT", bound=SettingsSection)


class Settings(BaseSettings):
    """The core's settings; each module adds its own section. All are documented in
    docs/configuration.md."""

    # Values for the modules' sections arrive as extra fields: a Settings is built
    # before the modules are known, and each section picks out its own.
    model_config = SettingsConfigDict(env_prefix="GYRFALCON_", env_file=None, extra="allow")

    data_dir: Path = Field(
        default=Path(".gyrfalcon"),
        description="Directory for the embedded database, the generated secret key and the "
        "initial admin credentials.",
    )
    database_url: str | None = Field(
        default=None,
        description="Platform database. Default: SQLite file `gyrfalcon.db` in the data "
        "directory. Accepts `postgresql://`, `mysql://`/`mariadb://` and `sqlite:///` URLs; "
        "the async driver is chosen for you.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key for sessions and for encrypting secrets at rest. Embedded mode "
        "generates one in the data directory; required with PostgreSQL/MySQL so that "
        "all replicas share it.",
    )
    host: str = Field(default="127.0.0.1", description="Address `gyrfalcon serve` binds to.")
    port: Annotated[int, Field(ge=1, le=65535)] = Field(
        default=8000, description="Port `gyrfalcon serve` listens on."
    )
    workers: Annotated[int, Field(ge=1, le=64)] = Field(
        default=1,
        description="Web worker processes of `gyrfalcon serve` (one per core serves the most "
        "requests). Each keeps its own caches; a change made through one is seen by the "
        "others within `cache_max_staleness_seconds`.",
    )
    background_services: bool = Field(
        default=True,
        description="Run the background services inside `gyrfalcon serve` (set by "
        "`--no-services`; then run `gyrfalcon worker`).",
    )
    cache_max_staleness_seconds: Annotated[float, Field(ge=0, le=60)] = Field(
        default=1.0,
        description="How long a process may serve cached catalog and login data before "
        "checking whether another process changed it (0: check on every request). A "
        "process sees its own changes at once.",
    )
    base_url: str | None = Field(
        default=None,
        description="Public URL of the console, used in links sent by notifications. "
        "Default: http://HOST:PORT.",
    )
    log_level: str = Field(default="INFO", description="Python log level.")
    log_format: LogFormat = Field(
        default=LogFormat.TEXT, description="`text` for people, `json` for log collectors."
    )
    sqlite_datasource_dirs: list[Path] = Field(
        default=[],
        description="Directories whose SQLite files may be registered as datasources (a JSON "
        'list, e.g. `["/srv/reports"]`). Empty: SQLite datasources are refused. The data '
        "directory and the platform's own database file are refused whatever this says.",
    )
    ui_dir: Path | None = Field(
        default=None,
        description="Directory of the built UI. Default: the copy shipped inside the package.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (CIDR) of the reverse proxies in front of "
        "Gyrfalcon, as a JSON list. Only requests from them may set the client address with "
        "`X-Forwarded-For` (for login limits and the audit log). Empty: the header is "
        "ignored, whoever sends it.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as exc:
                raise ValueError(f"'{entry}' is not an IP address or network") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _upper_level(cls, value: str) -> str:
        return value.upper()

    def section(self, kind: type[SectionT]) -> SectionT:
        """The settings section ``kind``, from the environment and this Settings' values."""
        given = self.model_extra or {}
        return kind(**{name: given[name] for name in kind.model_fields if name in given})

    @property
    def resolved_database_url(self) -> str:
        """The configured URL with the async driver the platform uses for it."""
        raw = self.database_url or f"sqlite:///{(self.data_dir / DATABASE_FILE).resolve()}"
        url = make_url(raw)
        backend = url.get_backend_name()
        if backend not in _ASYNC_DRIVERS:
            raise ConfigurationError(
                f"GYRFALCON_DATABASE_URL: unsupported database '{backend}' "
                "(use postgresql, mysql, mariadb or sqlite)"
            )
        if "+" not in url.drivername:
            url = url.set(drivername=_ASYNC_DRIVERS[backend])
        return url.render_as_string(hide_password=False)

    @property
    def is_embedded(self) -> bool:
        return make_url(self.resolved_database_url).get_backend_name() == "sqlite"

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    def resolved_secret_key(self) -> str:
        """The secret key; generated and kept in the data directory in embedded mode."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            if len(value) < 16:
                raise ConfigurationError("GYRFALCON_SECRET_KEY must be at least 16 characters")
            return value
        if not self.is_embedded:
            raise ConfigurationError(
                "GYRFALCON_SECRET_KEY is required when the platform database is not SQLite "
                "(all replicas must share it)"
            )
        path = self.data_dir / SECRET_KEY_FILE
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key)
        return key
