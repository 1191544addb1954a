"""Test a Kafka cluster by fetching its metadata from a bootstrap server.

It talks to one broker connection at a time (``aiokafka.conn.create_conn``)
rather than through ``AIOKafkaClient``: the client's bootstrap logs each
broker's error and raises a bare "Unable to bootstrap", which would hide
whether the broker refused, was not found, or rejected the credentials.
"""

from __future__ import annotations

import ssl
from functools import partial
from types import TracebackType
from typing import Any

from aiokafka import errors as kafka_errors
from aiokafka.conn import create_conn
from aiokafka.protocol.metadata import MetadataRequest

from gyrfalcon.catalog.schemas import ConnectionTestResult, KafkaClusterConfig
from gyrfalcon.catalog.testers.errors import (
    CheckFailed,
    Outcome,
    Target,
    auth_failed,
    closed,
    describe,
    run_check,
)

_CLIENT_ID = "gyrfalcon-connection-test"


class KafkaTester:
    """Tester for :class:`KafkaClusterConfig`."""

    async def test(
        self, config: KafkaClusterConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        password = config.sasl_password.get_secret_value() if config.sasl_password else ""
        return await run_check(
            lambda: _first_metadata(config, password, timeout),
            target=Target(secrets=(password,)),
            limit=timeout,
        )


def split_host_port(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    return host.strip("[]"), int(port)


async def _first_metadata(config: KafkaClusterConfig, password: str, limit: float) -> Outcome:
    failures: dict[str, str] = {}
    for server in config.bootstrap_servers:
        host, port = split_host_port(server)
        target = Target(host=host, port=port, secrets=(password,))
        try:
            metadata = await _fetch_metadata(config, host, port, password, limit)
        except Exception as exc:  # one broker down is why there are several: try the next
            classify = partial(_classify, config, target)
            failures[server] = describe(exc, target, timeout=limit, classify=classify)
            continue
        return _outcome(server, metadata, failures)
    if len(failures) == 1:
        raise CheckFailed(next(iter(failures.values())), {"servers": failures})
    summary = "; ".join(f"{server}: {message}" for server, message in failures.items())
    raise CheckFailed(f"no bootstrap server answered ({summary})", {"servers": failures})


async def _fetch_metadata(
    config: KafkaClusterConfig, host: str, port: int, password: str, limit: float
) -> Any:
    conn = await create_conn(
        host,
        port,
        client_id=_CLIENT_ID,
        request_timeout_ms=int(limit * 1000),
        ssl_context=_ssl_context(config) if "SSL" in config.security_protocol else None,
        security_protocol=config.security_protocol.value,
        sasl_mechanism=config.sasl_mechanism.value if config.sasl_mechanism else None,
        sasl_plain_username=config.sasl_username,
        sasl_plain_password=password,
    )
    try:
        # None asks for every topic; an empty list would ask for none.
        return await conn.send(MetadataRequest(None))
    finally:
        conn.close()


def _ssl_context(config: KafkaClusterConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not config.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _outcome(server: str, metadata: Any, failures: dict[str, str]) -> Outcome:
    brokers, topics = len(metadata.brokers), len(metadata.topics)
    details: dict[str, Any] = {"bootstrap_server": server, "brokers": brokers, "topics": topics}
    cluster_id = getattr(metadata, "cluster_id", None)
    if cluster_id:
        details["cluster_id"] = cluster_id
    if failures:
        details["unreachable"] = failures
    return Outcome(
        f"cluster metadata from {server}: {brokers} broker(s), {topics} topic(s)", details
    )


def _raised_in(exc: BaseException, prefixes: tuple[str, ...]) -> bool:
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name.startswith(prefixes):
            return True
        tb = tb.tb_next
    return False


def _classify(config: KafkaClusterConfig, target: Target, exc: BaseException) -> str | None:
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
