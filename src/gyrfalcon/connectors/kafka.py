"""Kafka: the cluster definition, and the one way to open a connection, consumer,
producer or admin client to it, each authenticated as the cluster says and bounded
by the caller's timeout."""

from __future__ import annotations

import ssl
from enum import StrEnum
from types import TracebackType
from typing import Annotated, Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka import errors as kafka_errors
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.conn import AIOKafkaConnection, create_conn
from aiokafka.protocol.metadata import MetadataRequest
from pydantic import Field, SecretStr, StringConstraints, model_validator

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.failures import Target, auth_failed, closed
from gyrfalcon.core.fields import HostPorts, split_host_port


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

    bootstrap_servers: Annotated[HostPorts, Field(min_length=1, max_length=50)] = Field(
        description="host:port of one or more brokers"
    )
    security_protocol: KafkaSecurityProtocol = KafkaSecurityProtocol.PLAINTEXT
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: Annotated[str, StringConstraints(max_length=255)] | None = None
    sasl_password: SecretStr | None = None
    tls_verify: bool = True

    @model_validator(mode="after")
    def _sasl_complete(self) -> KafkaClusterConfig:
        if self.security_protocol.startswith("SASL") and not (
            self.sasl_mechanism and self.sasl_username
        ):
            raise FieldError(
                "sasl_username", "SASL protocols need sasl_mechanism and sasl_username"
            )
        return self


def target(config: KafkaClusterConfig, server: str | None = None) -> Target:
    password = config.sasl_password.get_secret_value() if config.sasl_password else ""
    if server is None:
        return Target(secrets=(password,))
    host, port = split_host_port(server)
    return Target(host=host, port=port, secrets=(password,))


async def open_broker(
    config: KafkaClusterConfig, server: str, *, timeout: float, client_id: str
) -> AIOKafkaConnection:
    """One connection to one broker (``host:port``), authenticated as configured, every
    request bounded by ``timeout``; close it with ``close()``.

    One broker at a time rather than ``AIOKafkaClient``: the client's bootstrap logs
    each broker's error and raises a bare "Unable to bootstrap", which would hide
    whether the broker refused, was not found, or rejected the credentials.
    """
    host, port = split_host_port(server)
    return await create_conn(
        host,
        port,
        client_id=client_id,
        request_timeout_ms=int(timeout * 1000),
        ssl_context=ssl_context(config) if "SSL" in config.security_protocol else None,
        security_protocol=config.security_protocol.value,
        sasl_mechanism=config.sasl_mechanism.value if config.sasl_mechanism else None,
        sasl_plain_username=config.sasl_username,
        sasl_plain_password=config.sasl_password.get_secret_value() if config.sasl_password else "",
    )


async def fetch_metadata(
    config: KafkaClusterConfig, server: str, *, timeout: float, client_id: str
) -> Any:
    """The cluster's metadata (brokers, every topic with its partitions) from one broker.

    Every topic rather than the ones wanted: asking a broker about a topic by name
    creates it where ``auto.create.topics.enable`` is on, and a console must not."""
    conn = await open_broker(config, server, timeout=timeout, client_id=client_id)
    try:
        # None asks for every topic; an empty list would ask for none.
        return await conn.send(MetadataRequest(None))
    finally:
        conn.close()


def client_options(config: KafkaClusterConfig, *, timeout: float, client_id: str) -> dict[str, Any]:
    """What every aiokafka client of the cluster takes: servers, security, time limit."""
    return {
        "bootstrap_servers": list(config.bootstrap_servers),
        "client_id": client_id,
        "request_timeout_ms": int(timeout * 1000),
        "security_protocol": config.security_protocol.value,
        "ssl_context": ssl_context(config) if "SSL" in config.security_protocol else None,
        "sasl_mechanism": config.sasl_mechanism.value if config.sasl_mechanism else "PLAIN",
        "sasl_plain_username": config.sasl_username,
        "sasl_plain_password": (
            config.sasl_password.get_secret_value() if config.sasl_password else None
        ),
    }


def open_consumer(
    config: KafkaClusterConfig, *topics: str, timeout: float, client_id: str, **options: Any
) -> AIOKafkaConsumer:
    """A consumer of ``topics`` (start it with ``await consumer.start()``); ``options``
    are aiokafka's own (``group_id``, ``enable_auto_commit``, ``auto_offset_reset`` ...)."""
    return AIOKafkaConsumer(
        *topics, **client_options(config, timeout=timeout, client_id=client_id), **options
    )


def open_producer(
    config: KafkaClusterConfig, *, timeout: float, client_id: str, **options: Any
) -> AIOKafkaProducer:
    """A producer (start it with ``await producer.start()``)."""
    return AIOKafkaProducer(
        **client_options(config, timeout=timeout, client_id=client_id), **options
    )


def open_admin(
    config: KafkaClusterConfig, *, timeout: float, client_id: str
) -> AIOKafkaAdminClient:
    """An admin client for topics, groups and offsets (start it with ``await admin.start()``)."""
    options = client_options(config, timeout=timeout, client_id=client_id)
    return AIOKafkaAdminClient(**options)


def ssl_context(config: KafkaClusterConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not config.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _raised_in(exc: BaseException, prefixes: tuple[str, ...]) -> bool:
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name.startswith(prefixes):
            return True
        tb = tb.tb_next
    return False


def classify(config: KafkaClusterConfig, target: Target, exc: BaseException) -> str | None:
    user = config.sasl_username
    rejected = kafka_errors.SaslAuthenticationFailed | kafka_errors.AuthenticationFailedError
    if isinstance(exc, rejected):
        return auth_failed(user)
    if isinstance(exc, kafka_errors.UnsupportedSaslMechanismError):
        return f"the broker does not accept SASL mechanism {config.sasl_mechanism}"
    # aiokafka's SCRAM and PLAIN exchanges fail on a rejection with whatever the
    # parsing of the broker's error reply raises (KeyError, ValueError ...).
    if _raised_in(exc, ("authenticator_", "process_server_")):
        return auth_failed(user)
    if isinstance(exc, kafka_errors.KafkaConnectionError) and "closed" in str(exc):
        if _raised_in(exc, ("_do_sasl_handshake",)):
            return (
                f"{closed(target)} during SASL {config.sasl_mechanism} authentication "
                "(wrong mechanism or credentials?)"
            )
        if config.security_protocol == "PLAINTEXT":
            return f"{closed(target)} (does the broker require SASL or TLS?)"
        return closed(target)
    return None
