"""Connection kinds: a definition, its read shape, its table and its tester.

The catalog declares the kinds of the watched systems here; another module declares
its own the same way and contributes it to :data:`CONNECTION_KINDS` (the notify
module's notification channels, for one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, create_model

from gyrfalcon.catalog import models, schemas
from gyrfalcon.catalog.testers.base import ConnectionTester
from gyrfalcon.catalog.testers.http import DebugEndpointTester
from gyrfalcon.catalog.testers.kafka import KafkaTester
from gyrfalcon.catalog.testers.redis import RedisTester
from gyrfalcon.catalog.testers.sql import SqlTester
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.connectors.redis import RedisConfig
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.sqlite_files import SqlitePolicy
from gyrfalcon.core.pagination import Page
from gyrfalcon.core.partial import partial_model
from gyrfalcon.core.settings import Settings


def _datasource_extras(stored: dict[str, Any]) -> dict[str, Any]:
    # The stored fields were validated when saved; only rendering is needed here.
    url = DatasourceConfig.model_construct(**stored).sqlalchemy_url(with_password=False)
    return {"url": url.render_as_string(hide_password=True)}


def _datasource_check(config: DatasourceConfig, settings: Settings) -> None:
    SqlitePolicy.from_settings(settings).check(config)


def _no_check(_config: Any, _settings: Settings) -> None:
    return None


def redis_extras(stored: dict[str, Any]) -> dict[str, Any]:
    return {"url": RedisConfig.model_construct(**stored).display_url()}


@dataclass(frozen=True)
class ConnectionKind:
    path: str
    label: str
    model: type[models.ConnectionModel]
    definition: Any
    read: Any
    tester: ConnectionTester[Any]
    service_scoped: bool
    read_extras: Callable[[Any], dict[str, Any]] = lambda _config: {}
    check: Callable[[Any, Settings], None] = _no_check
    """Rules a definition must meet that depend on the deployment (raises FieldError),
    applied at save and before every test."""
    scheduled_tests: bool = True
    """Whether the background rounds test it; False when a test does something a person
    sees (a channel's test posts a message)."""
    adapter: TypeAdapter[Any] = field(init=False)
    update: type[BaseModel] = field(init=False)
    page: type[Page[Any]] = field(init=False)
    read_adapter: TypeAdapter[Any] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adapter", TypeAdapter(self.definition))
        object.__setattr__(self, "read_adapter", TypeAdapter(self.read))
        object.__setattr__(
            self, "update", partial_model(self.definition, f"{_camel(self.label)}Update")
        )
        # A named page model keeps the OpenAPI (and the UI's generated types) readable.
        object.__setattr__(
            self,
            "page",
            create_model(f"{_camel(self.label)}Page", __base__=Page[self.read]),  # type: ignore[name-defined]
        )


def _camel(label: str) -> str:
    return "".join(part.capitalize() for part in label.split())


DATASOURCES = ConnectionKind(
    path="datasources",
    label="datasource",
    model=models.Datasource,
    definition=DatasourceConfig,
    read=schemas.DatasourceRead,
    tester=SqlTester(),
    service_scoped=True,
    read_extras=_datasource_extras,
    check=_datasource_check,
)
REDIS = ConnectionKind(
    path="redis",
    label="redis instance",
    model=models.RedisInstance,
    definition=RedisConfig,
    read=schemas.RedisRead,
    tester=RedisTester(),
    service_scoped=True,
    read_extras=redis_extras,
)
DEBUG_ENDPOINTS = ConnectionKind(
    path="debug-endpoints",
    label="debug endpoint",
    model=models.DebugEndpoint,
    definition=schemas.DebugEndpointConfig,
    read=schemas.DebugEndpointRead,
    tester=DebugEndpointTester(),
    service_scoped=True,
)
KAFKA_CLUSTERS = ConnectionKind(
    path="kafka-clusters",
    label="kafka cluster",
    model=models.KafkaCluster,
    definition=KafkaClusterConfig,
    read=schemas.KafkaClusterRead,
    tester=KafkaTester(),
    service_scoped=False,
)
CONNECTION_KINDS = "catalog.connection_kinds"
"""Extension point: the ``ConnectionKind`` objects a module adds to the catalog. Each
gets its routes under ``/services/{service}/<path>`` or ``/<path>``, CRUD with
encrypted secrets, audit records and the test button."""

CATALOG_KINDS = (DATASOURCES, REDIS, DEBUG_ENDPOINTS, KAFKA_CLUSTERS)
