"""Bodies of the catalog API: services and the connections under them.

Each connection kind has one ``*Config`` model that validates a complete
definition, secrets included. Creation validates the body with it; an update is
merged into the stored definition and the result validated again, so a PATCH can
never leave a connection half-valid. Secret fields are write-only: reads show
only whether they are set.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    field_validator,
    model_validator,
)
from redis.connection import parse_url as parse_redis_url
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from gyrfalcon.catalog.service_urls import validate_path
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.fields import Description, EmailAddress, Host, Name, Port, Slug
from gyrfalcon.core.pagination import Page

_HOST_PORT = re.compile(r"^[A-Za-z0-9.\-_\[\]:]+:\d{1,5}$")


class Link(BaseModel):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    url: AnyHttpUrl


DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Team = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Links = Annotated[list[Link], Field(max_length=20)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Tags = Annotated[list[Tag], Field(max_length=30)]


class ServiceCreate(BaseModel):
    name: Slug
    display_name: DisplayName = ""
    team: Team | None = None
    description: Description = ""
    base_url: AnyHttpUrl | None = Field(
        default=None, description="Root URL of the service's HTTP API (for checks and debug runs)"
    )
    links: Links = []
    tags: Tags = []


class ServiceUpdate(BaseModel):
    display_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None
    ) = None
    team: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    description: Description | None = None
    base_url: AnyHttpUrl | None = None
    links: Annotated[list[Link], Field(max_length=20)] | None = None
    tags: (
        Annotated[
            list[
                Annotated[
                    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)
                ]
            ],
            Field(max_length=30),
        ]
        | None
    ) = None


class ConnectionCounts(BaseModel):
    datasources: int = 0
    redis: int = 0
    job_backends: int = 0
    debug_endpoints: int = 0


class ServiceRead(BaseModel):
    id: int
    name: str
    display_name: str
    team: str | None
    description: str
    base_url: str | None
    links: list[Link]
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    connections: ConnectionCounts


class ServicePage(Page[ServiceRead]):
    pass


class ConnectionTestResult(BaseModel):
    ok: bool
    latency_ms: float | None = Field(description="Round trip of the check, when it succeeded")
    message: str = Field(description="What happened, in words an engineer can act on")
    details: dict[str, Any] = Field(default_factory=dict)


# --- connection definitions -------------------------------------------------------------


class ConnectionConfig(BaseModel):
    """Fields every connection has; subclasses add their own."""

    model_config = ConfigDict(extra="forbid")
    url_replaces: ClassVar[tuple[str, ...]] = ()
    """Fields an input-only ``url`` fills in; an update that sends a URL resets them."""
    address_fields: ClassVar[tuple[str, ...]] = ()
    """Fields that say where the secrets go (and how safely): changing any of them drops the
    stored secrets unless the same change enters them again."""

    name: Name
    description: Description = ""


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


class RedisConfig(ConnectionConfig):
    """A Redis instance the service caches in."""

    url_replaces = ("url", "host", "port", "db", "username", "tls")
    address_fields = ("host", "port", "tls", "tls_verify")

    url: str | None = Field(
        default=None,
        description="redis://[user:password@]host:port/db or rediss:// for TLS; "
        "fills the fields below",
    )
    host: Host = "127.0.0.1"
    port: Port = 6379
    db: Annotated[int, Field(ge=0, le=1024)] = 0
    username: Annotated[str, StringConstraints(max_length=255)] | None = None
    password: SecretStr | None = None
    tls: bool = False
    tls_verify: bool = Field(default=True, description="Check the server certificate")

    @field_validator("url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None:
            _parse_redis_url(value)
        return value

    @model_validator(mode="after")
    def _expand_url(self) -> RedisConfig:
        if self.url is not None:
            parsed = _parse_redis_url(self.url)
            self.host, self.port, self.db, self.tls = (
                parsed["host"],
                parsed["port"],
                parsed["db"],
                parsed["tls"],
            )
            self.username = parsed["username"] or self.username
            if parsed["password"]:
                self.password = SecretStr(parsed["password"])
            self.url = None
        return self

    def display_url(self) -> str:
        scheme = "rediss" if self.tls else "redis"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}/{self.db}"


def _parse_redis_url(value: str) -> dict[str, Any]:
    """redis-py's own reading of the URL, so a URL means here what it means to clients;
    only TCP addresses (no ``unix://`` socket on the platform's host)."""
    if not value.startswith(("redis://", "rediss://")):
        raise ValueError("expected redis://host:port/db or rediss://host:port/db")
    try:
        parts = parse_redis_url(value)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        raise ValueError(str(exc)) from exc
    if not parts.get("host"):
        raise ValueError("name the host: redis://host:port/db")
    return {
        "host": parts["host"],
        "port": parts.get("port", 6379),
        "db": parts.get("db", 0),
        "tls": value.startswith("rediss://"),
        "username": parts.get("username"),
        "password": parts.get("password"),
    }


class JobBackendType(StrEnum):
    SIDEKIQ = "sidekiq"
    RQ = "rq"
    CELERY = "celery"
    GOCRAFT = "gocraft"


class JobBackendConfig(RedisConfig):
    """A job system of the service; the supported ones keep their state in Redis."""

    type: JobBackendType
    namespace: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="", description="Key prefix or namespace the job system uses, if any"
    )


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


class DebugEndpointConfig(ConnectionConfig):
    """An endpoint of the service that exercises its dependencies and reports the chain."""

    method: HttpMethod = HttpMethod.GET
    path: Annotated[str, StringConstraints(max_length=1000)] = Field(
        description="Path under the service's base URL, starting with '/'"
    )
    parameters: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}},
        description="JSON Schema of the parameters an engineer fills in before a run",
    )
    timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 30

    _under_service = field_validator("path")(validate_path)

    @field_validator("parameters")
    @classmethod
    def _valid_schema(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            Draft202012Validator.check_schema(value)
        except SchemaError as exc:
            raise ValueError(f"not a valid JSON Schema: {exc.message}") from exc
        return value


class KafkaSecurityProtocol(StrEnum):
    PLAINTEXT = "PLAINTEXT"
    SSL = "SSL"
    SASL_PLAINTEXT = "SASL_PLAINTEXT"
    SASL_SSL = "SASL_SSL"


class SaslMechanism(StrEnum):
    PLAIN = "PLAIN"
    SCRAM_SHA_256 = "SCRAM-SHA-256"
    SCRAM_SHA_512 = "SCRAM-SHA-512"


class KafkaClusterConfig(ConnectionConfig):
    """A Kafka cluster the services exchange messages on."""

    address_fields = ("bootstrap_servers", "security_protocol", "sasl_mechanism", "tls_verify")

    bootstrap_servers: Annotated[list[str], Field(min_length=1, max_length=50)] = Field(
        description="host:port of one or more brokers"
    )
    security_protocol: KafkaSecurityProtocol = KafkaSecurityProtocol.PLAINTEXT
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: Annotated[str, StringConstraints(max_length=255)] | None = None
    sasl_password: SecretStr | None = None
    tls_verify: bool = True

    @field_validator("bootstrap_servers")
    @classmethod
    def _host_ports(cls, value: list[str]) -> list[str]:
        cleaned = [server.strip() for server in value]
        for server in cleaned:
            if not _HOST_PORT.match(server):
                raise ValueError(f"'{server}' is not host:port")
        return cleaned

    @model_validator(mode="after")
    def _sasl_complete(self) -> KafkaClusterConfig:
        if self.security_protocol.startswith("SASL") and not (
            self.sasl_mechanism and self.sasl_username
        ):
            raise FieldError(
                "sasl_username", "SASL protocols need sasl_mechanism and sasl_username"
            )
        return self


class SmtpSecurity(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


TemplateText = Annotated[str, StringConstraints(max_length=10_000)]
_TEMPLATE_HELP = (
    "Jinja template (sandboxed) with the alert's variables, e.g. {{ monitor }}, {{ state }}, "
    "{{ value }}, {{ sample_text }}, {{ link }}; unset: the default wording"
)


def _valid_template(value: str | None) -> str | None:
    # Imported here: catalog is imported by notify's package, which would be half
    # initialised if catalog imported it at load time.
    from gyrfalcon.notify.templates import validate_template

    if value is not None:
        validate_template(value)
    return value


class EmailChannelConfig(ConnectionConfig):
    address_fields = ("host", "port", "security")

    type: Literal["email"]
    host: Host
    port: Port = 587
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: Annotated[str, StringConstraints(max_length=255)] | None = None
    password: SecretStr | None = None
    from_address: EmailAddress = Field(description="Sender address of alert mails")
    recipients: Annotated[list[EmailAddress], Field(max_length=100)] = Field(
        default=[],
        description="Who receives every alert sent through this channel; monitors add "
        "their own addresses",
    )
    subject_template: TemplateText | None = Field(default=None, description=_TEMPLATE_HELP)
    body_template: TemplateText | None = Field(
        default=None, description=f"Plain-text body. {_TEMPLATE_HELP}"
    )

    _templates = field_validator("subject_template", "body_template")(_valid_template)


class SlackChannelConfig(ConnectionConfig):
    address_fields = ("webhook_url",)

    type: Literal["slack"]
    webhook_url: SecretStr = Field(description="Slack incoming-webhook URL (kept encrypted)")
    text_template: TemplateText | None = Field(
        default=None, description=f"Message text (Slack mrkdwn). {_TEMPLATE_HELP}"
    )

    _templates = field_validator("text_template")(_valid_template)

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value


class WebhookChannelConfig(ConnectionConfig):
    address_fields = ("url",)

    type: Literal["webhook"]
    url: SecretStr = Field(description="Endpoint that receives a JSON POST (kept encrypted)")
    hmac_secret: SecretStr | None = Field(
        default=None, description="Signs each body with HMAC-SHA256 in X-Gyrfalcon-Signature"
    )
    body_template: TemplateText | None = Field(
        default=None, description=f"The event's 'message' field. {_TEMPLATE_HELP}"
    )

    _templates = field_validator("body_template")(_valid_template)

    @field_validator("url")
    @classmethod
    def _http(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value


NotificationChannelConfig = Annotated[
    EmailChannelConfig | SlackChannelConfig | WebhookChannelConfig, Field(discriminator="type")
]


# --- reads ------------------------------------------------------------------------------


class ConnectionRead(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    name: str
    description: str
    service: str | None = Field(default=None, description="Owning service, for per-service kinds")
    created_at: datetime
    updated_at: datetime


class DatasourceRead(ConnectionRead):
    dialect: str
    driver: str | None
    host: str | None
    port: int | None
    database: str | None
    username: str | None
    options: dict[str, str]
    url: str = Field(description="The SQLAlchemy URL, password left out")
    password_set: bool


class RedisRead(ConnectionRead):
    host: str
    port: int
    db: int
    username: str | None
    tls: bool
    tls_verify: bool
    url: str = Field(description="The Redis URL, password left out")
    password_set: bool


class JobBackendRead(RedisRead):
    type: JobBackendType
    namespace: str


class DebugEndpointRead(ConnectionRead):
    method: HttpMethod
    path: str
    parameters: dict[str, Any]
    timeout_seconds: float


class KafkaClusterRead(ConnectionRead):
    bootstrap_servers: list[str]
    security_protocol: KafkaSecurityProtocol
    sasl_mechanism: SaslMechanism | None
    sasl_username: str | None
    tls_verify: bool
    sasl_password_set: bool


class EmailChannelRead(ConnectionRead):
    type: Literal["email"]
    host: str
    port: int
    security: SmtpSecurity
    username: str | None
    from_address: str
    recipients: list[str] = []
    subject_template: str | None = None
    body_template: str | None = None
    password_set: bool


class SlackChannelRead(ConnectionRead):
    type: Literal["slack"]
    text_template: str | None = None
    webhook_url_set: bool


class WebhookChannelRead(ConnectionRead):
    type: Literal["webhook"]
    body_template: str | None = None
    url_set: bool
    hmac_secret_set: bool


NotificationChannelRead = Annotated[
    EmailChannelRead | SlackChannelRead | WebhookChannelRead, Field(discriminator="type")
]
