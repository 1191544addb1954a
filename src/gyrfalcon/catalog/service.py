"""The catalog's public face: what other modules may use of it, and nothing else.

Other modules reach the catalog only through this module (a test holds every
module to its neighbours' ``service.py``). It offers the services and their
teams, the tables other modules join on, and the connection-kind API a module uses
to declare a kind of its own (``ConnectionKind``, contributed to
:data:`CONNECTION_KINDS`), to test it (``ConnectionTester``, ``run_check``) and to
load a stored connection's full definition; and ``SERVICE_SIGNALS``, where a module
says what it knows of a service's health (``SignalSource``), and ``SERVICE_DEPENDENTS``,
where it says what goes with a deleted service (``DependentSource``).
"""

from __future__ import annotations

from gyrfalcon.catalog.connections import get_connection, list_connections, load_definition
from gyrfalcon.catalog.dependents import SERVICE_DEPENDENTS, DependentSource
from gyrfalcon.catalog.health import SERVICE_SIGNALS, SignalSource
from gyrfalcon.catalog.kinds import (
    CONNECTION_KINDS,
    DATASOURCES,
    DEBUG_ENDPOINTS,
    KAFKA_CLUSTERS,
    REDIS,
    ConnectionKind,
    redis_extras,
)
from gyrfalcon.catalog.models import (
    ConnectionMixin,
    Datasource,
    DebugEndpoint,
    JobBackend,
    KafkaCluster,
    RedisInstance,
    Service,
)
from gyrfalcon.catalog.schemas import (
    ConnectionRead,
    ConnectionTestResult,
    DebugAuth,
    DebugEndpointConfig,
    DependentGroup,
    RedisRead,
    RedisServerRead,
    ServiceSignal,
)
from gyrfalcon.catalog.services import (
    BaseUrlChangeHook,
    get_service,
    team_of,
    teams_by_service,
)
from gyrfalcon.catalog.testers.base import ConnectionTester
from gyrfalcon.catalog.testers.probe import Outcome, run_check

__all__ = [
    "CONNECTION_KINDS",
    "DATASOURCES",
    "DEBUG_ENDPOINTS",
    "KAFKA_CLUSTERS",
    "REDIS",
    "SERVICE_DEPENDENTS",
    "SERVICE_SIGNALS",
    "BaseUrlChangeHook",
    "ConnectionKind",
    "ConnectionMixin",
    "ConnectionRead",
    "ConnectionTestResult",
    "ConnectionTester",
    "Datasource",
    "DebugAuth",
    "DebugEndpoint",
    "DebugEndpointConfig",
    "DependentGroup",
    "DependentSource",
    "JobBackend",
    "KafkaCluster",
    "Outcome",
    "RedisInstance",
    "RedisRead",
    "RedisServerRead",
    "Service",
    "ServiceSignal",
    "SignalSource",
    "get_connection",
    "get_service",
    "list_connections",
    "load_definition",
    "redis_extras",
    "run_check",
    "team_of",
    "teams_by_service",
]
