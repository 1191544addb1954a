"""A SQL datasource's definition, read through SQLAlchemy."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, StringConstraints, field_validator, model_validator
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.fields import Host, Port

DEFAULT_SQL_DRIVERS = {
    "postgresql": "psycopg",
    "mysql": "pymysql",
    "mariadb": "pymysql",
    "sqlite": "pysqlite",
}


class DatasourceConfig(ConnectionConfig):
    """A SQL database of the service, read through SQLAlchemy."""

    url_replaces = ("url", "dialect", "driver", "host", "port", "database", "username", "options")
    address_fields = ("dialect", "driver", "host", "port", "database", "options")

    url: str | None = Field(
        default=None,
        description="A SQLAlchemy URL such as postgresql://user:pw@host:5432/db; "
        "when given it fills the fields below (its password is stored encrypted).",
    )
    dialect: str = Field(
        default="postgresql",
        description="SQLAlchemy dialect: postgresql, mysql, mariadb, sqlite, or any "
        "installed one (mssql, clickhouse, trino ...)",
    )
    driver: str | None = Field(
        default=None, description="DB-API driver; default psycopg, pymysql or pysqlite"
    )
    host: Host | None = None
    port: Port | None = None
    database: Annotated[str, StringConstraints(max_length=1024)] | None = Field(
        default=None, description="Database name, or the file path for SQLite"
    )
    username: Annotated[str, StringConstraints(max_length=255)] | None = None
    password: SecretStr | None = None
    options: dict[str, str] = Field(
        default_factory=dict, description="Extra URL query options, e.g. sslmode=require"
    )

    @field_validator("url")
    @classmethod
    def _parseable_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            make_url(value)
        except ArgumentError as exc:
            raise ValueError("not a SQLAlchemy URL (dialect://user:password@host:port/db)") from exc
        return value

    @model_validator(mode="after")
    def _expand_url_and_check_dialect(self) -> DatasourceConfig:
        if self.url is not None:
            parsed = make_url(self.url)
            self.dialect = parsed.get_backend_name()
            self.driver = parsed.get_driver_name() if "+" in parsed.drivername else None
            self.host, self.port, self.database = parsed.host, parsed.port, parsed.database
            self.username = parsed.username
            if parsed.password is not None:
                self.password = SecretStr(str(parsed.password))
            self.options = {k: str(v) for k, v in parsed.query.items()}
            self.url = None
        _check_dialect(self.dialect, self.driver)
        if self.dialect != "sqlite" and not self.host:
            raise FieldError("host", "required for a network database")
        if not self.database and self.dialect == "sqlite":
            raise FieldError("database", "the SQLite file path is required")
        return self

    def sqlalchemy_url(self, *, with_password: bool) -> URL:
        driver = self.driver or DEFAULT_SQL_DRIVERS.get(self.dialect)
        password = self.password.get_secret_value() if self.password and with_password else None
        return URL.create(
            f"{self.dialect}+{driver}" if driver else self.dialect,
            username=self.username,
            password=password,
            host=self.host,
            port=self.port,
            database=self.database,
            query=self.options,
        )


def _check_dialect(dialect: str, driver: str | None) -> None:
    from sqlalchemy.dialects import registry

    name = f"{dialect}.{driver or DEFAULT_SQL_DRIVERS.get(dialect, '')}".rstrip(".")
    try:
        registry.load(name)
    except NoSuchModuleError as exc:
        raise FieldError(
            "dialect",
            f"unknown dialect or driver '{name.replace('.', '+')}': use postgresql, mysql, "
            "mariadb or sqlite, or install the SQLAlchemy dialect package",
        ) from exc
    except ImportError as exc:
        raise FieldError("driver", f"driver for '{dialect}' is not installed: {exc}") from exc
