"""Redis: the definition and the one way to open a client to it.

The client is bounded by the caller's timeout on connect and on every command, and
never retries: a retry would hide the first failure and overrun the deadline.
Cluster and Sentinel modes come with the cache module.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, StringConstraints, field_validator, model_validator
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.connection import parse_url as parse_redis_url

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.failures import Target, auth_failed
from gyrfalcon.core.fields import Host, Port


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


def target(config: RedisConfig) -> Target:
    password = config.password.get_secret_value() if config.password else ""
    return Target(host=config.host, port=config.port, secrets=(password,))


def open_redis(config: RedisConfig, *, timeout: float) -> Redis:
    """A client on one connection, every call bounded by ``timeout``; close it with
    ``aclose()`` (or ``async with``)."""
    return Redis(
        host=config.host,
        port=config.port,
        db=config.db,
        username=config.username,
        password=config.password.get_secret_value() if config.password else None,
        ssl=config.tls,
        ssl_cert_reqs="required" if config.tls_verify else "none",
        ssl_check_hostname=config.tls and config.tls_verify,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
        single_connection_client=True,
        # RESP2, which every Redis speaks: redis-py 8 opens with HELLO 3 otherwise, which a
        # Redis older than 6 (still under many Sidekiq and Resque deployments) refuses.
        protocol=2,
    )


def classify(config: RedisConfig, exc: BaseException) -> str | None:
    """Redis's own refusals, worded for the engineer; None for the generic failures."""
    text = str(exc)
    user = config.username or "default"
    # redis-py 8 opens with HELLO 3, which a server that wants a password refuses with
    # "HELLO must be called with the client already authenticated".
    if "NOAUTH" in text or "Authentication required" in text or "already authenticated" in text:
        return "the server requires a password and none is configured"
    if "WRONGPASS" in text or "invalid username-password pair" in text:
        return auth_failed(user)
    if "DB index is out of range" in text or "Invalid Database" in text:
        return f"database {config.db} does not exist on this server"
    return None
