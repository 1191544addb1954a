"""Bodies of the catalog API: services and the connections under them.

Each connection kind has one ``*Config`` model that validates a complete
definition, secrets included. Creation validates the body with it; an update is
merged into the stored definition and the result validated again, so a PATCH can
never leave a connection half-valid. Secret fields are write-only: reads show
only whether they are set.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

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
)

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.connectors.kafka import KafkaSecurityProtocol, SaslMechanism
from gyrfalcon.connectors.redis import RedisMode
from gyrfalcon.connectors.service_urls import validate_path
from gyrfalcon.core.fields import Description, Slug
from gyrfalcon.core.pagination import Page
from gyrfalcon.core.partial import partial_model


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


class ServiceUpdate(partial_model(ServiceCreate, "ServiceUpdate", exclude=("name",))):  # type: ignore[misc]
    """A PATCH of a service: any of its fields but the name; null clears a field."""


class ConnectionCounts(BaseModel):
    datasources: int = 0
    redis: int = 0
    job_backends: int = 0
    debug_endpoints: int = 0


class LastTest(BaseModel):
    tested_at: datetime
    ok: bool
    message: str


class FailingConnection(BaseModel):
    kind: str = Field(description="The connection kind's path, e.g. 'datasources'")
    id: int
    name: str
    message: str = Field(description="What its last test found")


class ServiceHealth(BaseModel):
    state: Literal["ok", "failing", "untested"] = Field(
        default="untested",
        description="failing: a connection failed its last test; ok: every tested one "
        "passed; untested: no connection has been tested yet",
    )
    failing: list[FailingConnection] = []
    passing: int = 0
    untested: int = 0


class ServiceSignal(BaseModel):
    """What another module knows of a service's health (e.g. monitors alerting)."""

    module: str
    severity: Literal["critical", "warning", "info", "error"]
    text: str
    link: str = Field(description="The console page that shows it")


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
    health: ServiceHealth = ServiceHealth()
    signals: list[ServiceSignal] = Field(
        default=[], description="What other modules report for it, where the caller may see"
    )


class ServicePage(Page[ServiceRead]):
    pass


class DependentGroup(BaseModel):
    """Objects of one kind that go with a deleted service."""

    module: str
    kind: str
    label: str = Field(description="What they are, plural: 'datasources', 'monitors'")
    count: int
    names: list[str] = Field(description="The first 50 of their names")
    detail: str = Field(default="", description="What goes with them, e.g. their run history")


class ServiceDeletion(BaseModel):
    service: str
    groups: list[DependentGroup] = Field(description="Everything deleted with the service")


class ConnectionTestResult(BaseModel):
    ok: bool
    latency_ms: float | None = Field(description="Round trip of the check, when it succeeded")
    message: str = Field(description="What happened, in words an engineer can act on")
    details: dict[str, Any] = Field(default_factory=dict)


# --- connection definitions -------------------------------------------------------------


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


class DebugAuth(StrEnum):
    """How a debug run proves to the service that it comes from the platform."""

    NONE = "none"
    TOKEN = "token"  # noqa: S105 - the name of a way to authenticate, not a secret
    """``Authorization: Bearer <secret>``."""
    HMAC = "hmac"
    """``X-Gyrfalcon-Signature``: HMAC-SHA256 of the time, method, path and body."""


class DebugEndpointConfig(ConnectionConfig):
    """An endpoint of the service that exercises its dependencies and reports the chain."""

    # The secret goes to the service's base URL plus this path: moving either drops it
    # (the base URL's move is the catalog's service update, see services.py).
    address_fields = ("method", "path", "auth")

    method: HttpMethod = HttpMethod.GET
    path: Annotated[str, StringConstraints(max_length=1000)] = Field(
        description="Path under the service's base URL, starting with '/'"
    )
    parameters: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}},
        description="JSON Schema of the parameters an engineer fills in before a run",
    )
    timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 30
    auth: DebugAuth = Field(
        default=DebugAuth.NONE,
        description="How runs authenticate to the service: none, a shared token, or HMAC "
        "signatures (the probe SDK checks either)",
    )
    secret: SecretStr | None = Field(
        default=None, description="The shared token or the HMAC key, for auth token or hmac"
    )

    _under_service = field_validator("path")(validate_path)

    @field_validator("secret")
    @classmethod
    def _sendable(cls, value: SecretStr | None) -> SecretStr | None:
        # It travels in a header (a token) or keys a signature: visible ASCII only, so
        # it is sent as entered and never turns a run into an encoding error.
        if value is not None:
            text = value.get_secret_value()
            if not text or len(text) > 4096 or not all(33 <= ord(char) <= 126 for char in text):
                raise ValueError(
                    "the token or key must be 1 to 4096 visible ASCII characters, no spaces"
                )
        return value

    @field_validator("parameters")
    @classmethod
    def _valid_schema(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            Draft202012Validator.check_schema(value)
        except SchemaError as exc:
            raise ValueError(f"not a valid JSON Schema: {exc.message}") from exc
        return value


# --- reads ------------------------------------------------------------------------------


class ConnectionRead(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    name: str
    description: str
    service: str | None = Field(default=None, description="Owning service, for per-service kinds")
    created_at: datetime
    updated_at: datetime
    last_test: LastTest | None = Field(
        default=None, description="The last test of the saved definition, by hand or scheduled"
    )


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


class RedisServerRead(ConnectionRead):
    host: str
    port: int
    db: int
    username: str | None
    tls: bool
    tls_verify: bool
    url: str = Field(description="The Redis URL, password left out")
    password_set: bool


class RedisRead(RedisServerRead):
    mode: RedisMode = RedisMode.STANDALONE
    nodes: list[str] = Field(default_factory=list)
    sentinel_master: str | None = None
    key_prefix: str = ""
    read_only: bool = True
    sentinel_password_set: bool = False


class DebugEndpointRead(ConnectionRead):
    method: HttpMethod
    path: str
    parameters: dict[str, Any]
    timeout_seconds: float
    auth: DebugAuth = DebugAuth.NONE
    secret_set: bool = False


class KafkaClusterRead(ConnectionRead):
    bootstrap_servers: list[str]
    security_protocol: KafkaSecurityProtocol
    sasl_mechanism: SaslMechanism | None
    sasl_username: str | None
    tls_verify: bool
    sasl_password_set: bool
