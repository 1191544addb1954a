"""Redis: the definitions and the one way to open clients to them.

A client is bounded by the caller's timeout on connect and on every command, and never
retries: a retry would hide the first failure and overrun the deadline.

Two definitions: :class:`RedisServerConfig` is one server (what a job system keeps its
state in), :class:`RedisConfig` adds how a service's cache is deployed: one server, a
Redis Cluster reached through seed nodes, or the primary a set of Sentinels names.
Every mode is read the same way, node by node (:func:`open_nodes`): a cluster's keys
live on exactly one primary each, so scanning each primary in turn sees every key once.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, StringConstraints, field_validator, model_validator
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.connection import parse_url as parse_redis_url
from redis.crc import key_slot

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.failures import Target, auth_failed
from gyrfalcon.core.fields import Host, HostPorts, Port, split_host_port


class RedisServerConfig(ConnectionConfig):
    """One Redis server."""

    url_replaces = ("url", "host", "port", "db", "username", "tls")
    address_fields: ClassVar[tuple[str, ...]] = ("host", "port", "tls", "tls_verify")

    url: str | None = Field(
        default=None,
        description="redis://[user:password@]host:port/db or rediss:// for TLS; "
        "fills the fields below",
    )
    host: Host = "127.0.0.1"
    port: Port = 6379
    db: Annotated[int, Field(ge=0, le=1024)] = 0
    username: Annotated[str, StringConstraints(max_length=255)] | None = Field(
        default=None, description="The ACL user (Redis 6+); none for the default user"
    )
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
    def _expand_url(self) -> RedisServerConfig:
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

    def addresses(self) -> list[tuple[str, int]]:
        """Where the client connects first."""
        return [(self.host, self.port)]

    def display_url(self) -> str:
        return f"{self._scheme()}://{self._user()}{self.host}:{self.port}/{self.db}"

    def _scheme(self) -> str:
        return "rediss" if self.tls else "redis"

    def _user(self) -> str:
        return f"{self.username}@" if self.username else ""


class RedisMode(StrEnum):
    STANDALONE = "standalone"
    CLUSTER = "cluster"
    SENTINEL = "sentinel"


SentinelMaster = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


class RedisConfig(RedisServerConfig):
    """A Redis a service caches in: one server, a Redis Cluster, or a Sentinel-managed
    primary; with the key prefix the service writes under and whether the console may
    change anything there."""

    address_fields = (*RedisServerConfig.address_fields, "mode", "nodes", "sentinel_master")

    mode: RedisMode = RedisMode.STANDALONE
    nodes: Annotated[HostPorts, Field(max_length=50)] = Field(
        default_factory=list,
        description="cluster: seed nodes (host:port), any of the cluster's; sentinel: the "
        "Sentinels (host:port). Empty for a cluster: host and port are the seed",
    )
    sentinel_master: SentinelMaster | None = Field(
        default=None, description="sentinel: the name the Sentinels monitor the primary by"
    )
    sentinel_password: SecretStr | None = Field(
        default=None, description="sentinel: the Sentinels' own password, if they have one"
    )
    key_prefix: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="", description="The prefix the service's keys start with, e.g. 'orders:'"
    )
    read_only: bool = Field(
        default=True,
        description="Refuse every change (delete, TTL) from the console, whatever the "
        "user's permissions",
    )

    @model_validator(mode="after")
    def _mode_complete(self) -> RedisConfig:
        if self.mode == RedisMode.SENTINEL:
            if not self.sentinel_master:
                raise FieldError("sentinel_master", "name the primary the Sentinels monitor")
            if not self.nodes:
                raise FieldError("nodes", "list the Sentinels as host:port")
        if self.mode == RedisMode.CLUSTER and self.db != 0:
            raise FieldError("db", "a Redis Cluster has database 0 only")
        return self

    def addresses(self) -> list[tuple[str, int]]:
        if self.mode == RedisMode.STANDALONE or not self.nodes:
            return super().addresses()
        return [split_host_port(node) for node in self.nodes]

    def display_url(self) -> str:
        if self.mode == RedisMode.STANDALONE:
            return super().display_url()
        hosts = ",".join(f"{host}:{port}" for host, port in self.addresses())
        if self.mode == RedisMode.CLUSTER:
            return f"{self._scheme()}://{self._user()}{hosts} (cluster)"
        return (
            f"{self._scheme()}://{self._user()}{self.sentinel_master}/{self.db} (sentinels {hosts})"
        )


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
    database = urlsplit(value).path.strip("/")
    if database and not (database.isascii() and database.isdigit()):
        # redis-py reads a path it cannot parse as database 0: a typo would watch the
        # wrong database without a word.
        raise ValueError(f"the database is a number: redis://host:port/0, not /{database}")
    return {
        "host": parts["host"],
        "port": parts.get("port", 6379),
        "db": parts.get("db", 0),
        "tls": value.startswith("rediss://"),
        "username": parts.get("username"),
        "password": parts.get("password"),
    }


def target(config: RedisServerConfig) -> Target:
    secrets = [config.password.get_secret_value() if config.password else ""]
    if isinstance(config, RedisConfig) and config.sentinel_password:
        secrets.append(config.sentinel_password.get_secret_value())
    host, port = config.addresses()[0]
    if len(config.addresses()) > 1:
        return Target(secrets=tuple(secrets))
    return Target(host=host, port=port, secrets=tuple(secrets))


def open_redis(config: RedisServerConfig, *, timeout: float) -> Redis:
    """A client on one connection to the configured server, every call bounded by
    ``timeout``; close it with ``aclose()`` (or ``async with``). For a cluster or a
    Sentinel-managed primary, :func:`open_nodes`."""
    return _server(config, config.host, config.port, timeout=timeout)


def _server(
    config: RedisServerConfig, host: str, port: int, *, timeout: float, per_call: bool = True
) -> Redis:
    password = config.password.get_secret_value() if config.password else None
    return Redis(
        host=host,
        port=port,
        db=config.db,
        username=config.username,
        password=password,
        socket_connect_timeout=timeout,
        socket_timeout=timeout if per_call else None,
        retry=Retry(NoBackoff(), 0),
        single_connection_client=True,
        # RESP2, which every Redis speaks: redis-py 8 opens with HELLO 3 otherwise, which a
        # Redis older than 6 (still under many Sidekiq and Resque deployments) refuses.
        protocol=2,
        # No CLIENT SETINFO: two round trips more on every connection, for a name in
        # CLIENT LIST.
        driver_info=None,
        **_tls_options(config),
    )


def _tls_options(config: RedisServerConfig) -> dict[str, Any]:
    if not config.tls:
        return {}
    return {
        "ssl": True,
        "ssl_cert_reqs": "required" if config.tls_verify else "none",
        "ssl_check_hostname": config.tls_verify,
    }


@dataclass
class Node:
    """One server the keys live on: a cluster's primary, or the only one."""

    name: str
    """host:port, as the cluster (or the Sentinels) name it."""
    client: Redis
    slots: list[tuple[int, int]]
    """The hash slots the primary serves (a cluster only)."""


@dataclass
class Nodes:
    mode: RedisMode
    nodes: list[Node]

    def node_for(self, key: bytes) -> Node:
        """The node that holds ``key``."""
        if self.mode != RedisMode.CLUSTER:
            return self.nodes[0]
        slot = key_slot(key)
        for node in self.nodes:
            if any(first <= slot <= last for first, last in node.slots):
                return node
        raise ClusterIncomplete(f"no primary serves hash slot {slot}")


class ClusterIncomplete(Exception):
    """The cluster's slot map has a hole (a primary down without a replica taking over)."""


SlotMap = dict[tuple[str, int], list[tuple[int, int]]]
"""Each primary's (host, port) and the hash slot ranges it serves."""


@contextlib.asynccontextmanager
async def open_nodes(
    config: RedisConfig, *, timeout: float, per_call: bool = True
) -> AsyncIterator[Nodes]:
    """A client per node the keys live on, each on one connection bounded by
    ``timeout``: the one server; the primary the Sentinels name; or, for a cluster,
    every primary of the slot map a seed node answers with (a primary that is down is
    still listed, so its failure is seen, and named, where it is used).

    ``per_call=False`` bounds the connects only, for a caller that bounds the whole of
    its work itself: a timer per reply is most of the cost of a pipeline of thousands
    of small commands (measured: 50 against 30 microseconds a command)."""
    async with contextlib.AsyncExitStack() as stack:

        def client(host: str, port: int) -> Redis:
            return _server(config, host, port, timeout=timeout, per_call=per_call)

        if config.mode == RedisMode.CLUSTER:
            primaries = await _cluster_primaries(config, timeout=timeout)
            nodes = [
                Node(f"{host}:{port}", client(host, port), slots)
                for (host, port), slots in primaries.items()
            ]
        elif config.mode == RedisMode.SENTINEL:
            host, port = await sentinel_primary(config, timeout=timeout)
            nodes = [Node(f"{host}:{port}", client(host, port), [])]
        else:
            nodes = [Node(f"{config.host}:{config.port}", client(config.host, config.port), [])]
        for node in nodes:
            stack.push_async_callback(node.client.aclose)
        yield Nodes(config.mode, nodes)


async def _cluster_primaries(config: RedisConfig, *, timeout: float) -> SlotMap:
    """``CLUSTER SLOTS`` from the first seed that answers: each primary's slot ranges."""
    failures: list[BaseException] = []
    for host, port in config.addresses():
        try:
            async with _server(config, host, port, timeout=timeout) as seed:
                answer = await seed.execute_command("CLUSTER SLOTS")  # type: ignore[no-untyped-call]
        except Exception as exc:
            failures.append(exc)
            continue
        return _slot_map(answer, seed_host=host)
    raise failures[0]


def _slot_map(answer: Iterable[Any], *, seed_host: str) -> SlotMap:
    primaries: SlotMap = {}
    for first, last, primary, *_replicas in answer:
        announced = primary[0].decode() if isinstance(primary[0], bytes) else str(primary[0])
        # A node that announces no address ("" or "?") is reached where the seed was.
        host = announced if announced not in ("", "?") else seed_host
        primaries.setdefault((host, int(primary[1])), []).append((int(first), int(last)))
    return primaries


async def sentinel_primary(config: RedisConfig, *, timeout: float) -> tuple[str, int]:
    """Where the Sentinels say the primary is: the first Sentinel that answers, asked
    by name (``SENTINEL GET-MASTER-ADDR-BY-NAME``)."""
    password = config.sentinel_password.get_secret_value() if config.sentinel_password else None
    failures: list[BaseException] = []
    for host, port in config.addresses():
        sentinel = Redis(
            host=host,
            port=port,
            password=password,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
            single_connection_client=True,
            protocol=2,
            **_tls_options(config),
        )
        try:
            async with sentinel:
                answer = await sentinel.execute_command(  # type: ignore[no-untyped-call]
                    "SENTINEL", "GET-MASTER-ADDR-BY-NAME", config.sentinel_master
                )
        except Exception as exc:
            failures.append(exc)
            continue
        if answer:
            primary_host, primary_port = (
                part.decode() if isinstance(part, bytes) else str(part) for part in answer
            )
            return primary_host, int(primary_port)
        failures.append(SentinelUnknownMaster(config.sentinel_master or ""))
    raise failures[0]


class SentinelUnknownMaster(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"the Sentinels monitor no primary named '{name}'")


def classify(config: RedisServerConfig, exc: BaseException) -> str | None:
    """Redis's own refusals, worded for the engineer; None for the generic failures."""
    text = str(exc)
    user = config.username or "default"
    if isinstance(exc, SentinelUnknownMaster | ClusterIncomplete):
        return text
    # redis-py 8 opens with HELLO 3, which a server that wants a password refuses with
    # "HELLO must be called with the client already authenticated".
    if "NOAUTH" in text or "Authentication required" in text or "already authenticated" in text:
        return "the server requires a password and none is configured"
    if "WRONGPASS" in text or "invalid username-password pair" in text:
        return auth_failed(user)
    if "DB index is out of range" in text or "Invalid Database" in text:
        return f"database {config.db} does not exist on this server"
    if "cluster support disabled" in text:
        return "this server is not part of a Redis Cluster: choose the standalone mode"
    return None
