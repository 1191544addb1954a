"""The connection kinds of the catalog, each with its definition, read shape and tester."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, create_model

from gyrfalcon.catalog import models, schemas
from gyrfalcon.catalog.partial import partial_model
from gyrfalcon.catalog.testers.base import ConnectionTester
from gyrfalcon.catalog.testers.http import DebugEndpointTester, WebhookTester
from gyrfalcon.catalog.testers.kafka import KafkaTester
from gyrfalcon.catalog.testers.redis import RedisTester
from gyrfalcon.catalog.testers.smtp import SmtpTester
from gyrfalcon.catalog.testers.sql import SqlTester
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.connectors.redis import RedisConfig
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.sqlite_files import SqlitePolicy
from gyrfalcon.core.pagination import Page
from gyrfalcon.core.settings import Settings


class _ChannelTester:
    """Email channels are tried over SMTP; chat and webhook channels get a test message."""

    def __init__(self) -> None:
        self._smtp = SmtpTester()
        self._http = WebhookTester()

    async def test(
        self, config: BaseModel, *, timeout: float, base_url: str | None
    ) -> schemas.ConnectionTestResult:
        if isinstance(config, schemas.EmailChannelConfig):
            return await self._smtp.test(config, timeout=timeout, base_url=base_url)
        assert isinstance(config, schemas.SlackChannelConfig | schemas.WebhookChannelConfig)
        return await self._http.test(config, timeout=timeout, base_url=base_url)


def _datasource_extras(stored: dict[str, Any]) -> dict[str, Any]:
    # The stored fields were validated when saved; only rendering is needed here.
    url = DatasourceConfig.model_construct(**stored).sqlalchemy_url(with_password=False)
    return {"url": url.render_as_string(hide_password=True)}


def _datasource_check(config: DatasourceConfig, settings: Settings) -> None:
    SqlitePolicy.from_settings(settings).check(config)


def _no_check(_config: Any, _settings: Settings) -> None:
    return None


def _redis_extras(stored: dict[str, Any]) -> dict[str, Any]:
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
    read_extras=_redis_extras,
)
JOB_BACKENDS = ConnectionKind(
    path="job-backends",
    label="job backend",
    model=models.JobBackend,
    definition=schemas.JobBackendConfig,
    read=schemas.JobBackendRead,
    tester=RedisTester(),
    service_scoped=True,
    read_extras=_redis_extras,
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
NOTIFICATION_CHANNELS = ConnectionKind(
    path="notification-channels",
    label="notification channel",
    model=models.NotificationChannel,
    definition=schemas.NotificationChannelConfig,
    read=schemas.NotificationChannelRead,
    tester=_ChannelTester(),
    service_scoped=False,
)

ALL_KINDS = (
    DATASOURCES,
    REDIS,
    JOB_BACKENDS,
    DEBUG_ENDPOINTS,
    KAFKA_CLUSTERS,
    NOTIFICATION_CHANNELS,
)
