"""A check of a Kafka cluster's metadata through aiokafka."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gyrfalcon.probe.checks.base import DEFAULT_TIMEOUT, Check
from gyrfalcon.probe.spans import current_span
from gyrfalcon.probe.vocabulary import CheckFailed


def kafka_metadata(
    bootstrap_servers: str | Sequence[str],
    topic: str | None = None,
    *,
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    **client_options: Any,
) -> Check:
    """Fetch the cluster's metadata: brokers and topics counted, and with ``topic`` its
    partitions (a missing topic fails the check). Every topic is asked for rather than
    ``topic`` by name, because asking for a topic by name creates it on a broker with
    ``auto.create.topics.enable``. ``client_options`` go to ``aiokafka.AIOKafkaClient``
    (security_protocol, sasl_*, ssl_context ...)."""
    servers = [bootstrap_servers] if isinstance(bootstrap_servers, str) else list(bootstrap_servers)
    options = {"request_timeout_ms": int(timeout * 1000), **client_options}

    async def fetch() -> int:
        from aiokafka import AIOKafkaClient

        client = AIOKafkaClient(bootstrap_servers=servers, **options)
        try:
            await client.bootstrap()
            metadata = await client.fetch_all_metadata()
        finally:
            await client.close()
        attributes = current_span().attributes
        attributes["brokers"] = len(metadata.brokers())
        attributes["topics"] = len(metadata.topics())
        if topic is None:
            return len(metadata.topics())
        partitions = metadata.partitions_for_topic(topic)
        if partitions is None:
            raise CheckFailed(f"topic {topic!r} does not exist")
        attributes["partitions"] = len(partitions)
        return len(partitions)

    return Check(
        name=name or (f"kafka topic {topic}" if topic else "kafka metadata"),
        call=fetch,
        kind="queue",
        target=",".join(servers),
        timeout=timeout,
        attributes={"topic": topic} if topic else {},
    )
