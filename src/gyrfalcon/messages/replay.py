"""Replay: publish a stored message again (same key, value and headers, or edited) to
its topic or another, through the subscription's cluster; audited."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from functools import partial
from typing import Any

from google.protobuf import json_format
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog import service as catalog
from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import Conflict, InvalidInput, ProblemError
from gyrfalcon.core.failures import describe
from gyrfalcon.messages import topics
from gyrfalcon.messages.models import MessageSchemaVersion
from gyrfalcon.messages.protos import descriptors
from gyrfalcon.messages.schemas import ReplayRequest, ReplayResult, ValueFormat
from gyrfalcon.messages.store.base import MessageRow
from gyrfalcon.messages.subscriptions import Located

_CLIENT_ID = "gyrfalcon-replay"


class ClusterUnavailable(ProblemError):
    status = 502
    title = "Kafka cluster not answering"


def _bytes(field: str, encoded: str) -> bytes:
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(field, "not base64") from None


async def _value(
    session: AsyncSession, located: Located, row: MessageRow, body: ReplayRequest
) -> bytes | None:
    if body.value_base64 is not None:
        return _bytes("value_base64", body.value_base64)
    if body.value_json is None:
        if row.value is not None and row.value_size > len(row.value):
            raise Conflict("The stored value was cut at ingest; replay it with an edited value.")
        return row.value
    subscription = located.subscription
    if subscription.value_format == ValueFormat.JSON:
        return json.dumps(body.value_json, ensure_ascii=False).encode("utf-8")
    if subscription.value_format == ValueFormat.TEXT:
        if not isinstance(body.value_json, str):
            raise InvalidInput("value_json", "a text subscription's value is a JSON string")
        return body.value_json.encode("utf-8")
    if subscription.value_format != ValueFormat.PROTOBUF or not subscription.message_type:
        raise InvalidInput("value_json", "a bytes value is edited as value_base64")
    descriptor_set = await session.scalar(
        select(MessageSchemaVersion.descriptor_set)
        .where(MessageSchemaVersion.schema_id == subscription.schema_id)
        .order_by(MessageSchemaVersion.version.desc())
        .limit(1)
    )
    if descriptor_set is None:
        raise Conflict("The subscription's schema was deleted; replay the value as base64.")
    message = descriptors.message_class(descriptor_set, subscription.message_type)()
    try:
        json_format.ParseDict(
            body.value_json, message, descriptor_pool=descriptors.pool_of(descriptor_set)
        )
    except json_format.ParseError as exc:
        raise InvalidInput("value_json", f"not a {subscription.message_type}: {exc}") from None
    serialized: bytes = message.SerializeToString()
    return serialized


def _headers(row: MessageRow, body: ReplayRequest) -> list[tuple[str, bytes]]:
    if body.headers is None:
        return [(name, base64.b64decode(encoded)) for name, encoded in json.loads(row.headers)]
    return [
        (
            header.name,
            _bytes(f"headers.{index}.base64", header.base64)
            if header.base64 is not None
            else (header.value or "").encode("utf-8"),
        )
        for index, header in enumerate(body.headers)
    ]


async def replay(
    session: AsyncSession,
    located: Located,
    row: MessageRow,
    body: ReplayRequest,
    *,
    box: SecretBox,
    timeout: float,
) -> ReplayResult:
    cluster = await session.get(catalog.KafkaCluster, located.subscription.cluster_id or 0)
    if cluster is None:
        raise Conflict("The subscription's Kafka cluster was deleted; give it another first.")
    config = catalog.load_definition(catalog.KAFKA_CLUSTERS, cluster, box)
    assert isinstance(config, KafkaClusterConfig)
    topic = body.topic or row.topic
    key = _bytes("key_base64", body.key_base64) if body.key_base64 is not None else row.key
    value = await _value(session, located, row, body)
    headers = _headers(row, body)
    try:
        await topics.topic_partitions(config, topic, timeout=timeout)
    except topics.UnknownTopic as exc:
        raise InvalidInput("topic", str(exc)) from None
    except topics.ClusterUnreachable as exc:
        raise ClusterUnavailable(f"The cluster '{cluster.name}' does not answer: {exc}") from None
    sent = await _send(config, cluster.name, topic, key, value, headers, timeout=timeout)
    edited = [
        name
        for name, given in (
            ("key", body.key_base64),
            ("value", body.value_base64 if body.value_json is None else body.value_json),
            ("headers", body.headers),
        )
        if given is not None
    ]
    audit.record(
        session,
        action="message.replay",
        object_type="message",
        object_id=f"{row.subscription_id}/{row.partition}/{row.offset}",
        object_name=f"{located.service}/{located.subscription.name} {row.topic}"
        f"[{row.partition}]@{row.offset}",
        service=located.service,
        after={
            "topic": topic,
            "partition": sent.partition,
            "offset": sent.offset,
            "edited": edited,
        },
    )
    await session.commit()
    return sent


async def _send(
    config: KafkaClusterConfig,
    name: str,
    topic: str,
    key: bytes | None,
    value: bytes | None,
    headers: list[tuple[str, bytes]],
    *,
    timeout: float,
) -> ReplayResult:
    producer = kafka.open_producer(
        config,
        timeout=timeout,
        client_id=_CLIENT_ID,
        max_request_size=max(len(value or b"") + 64 * 1024, 1024 * 1024),
    )
    target = kafka.target(config)
    try:
        async with asyncio.timeout(timeout):
            await producer.start()
            metadata: Any = await producer.send_and_wait(topic, value, key=key, headers=headers)
    except Exception as exc:
        classify = partial(kafka.classify, config, target)
        reason = describe(exc, target, timeout=timeout, classify=classify)
        raise ClusterUnavailable(
            f"The cluster '{name}' did not take the message: {reason}"
        ) from None
    finally:
        await producer.stop()
    return ReplayResult(topic=topic, partition=metadata.partition, offset=metadata.offset)
