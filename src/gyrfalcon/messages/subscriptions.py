"""Subscriptions: which topic of which cluster a service's messages come from, how to
read them and what to index; with the consumer's status and lag.

Saving one is all it takes: the workers read the subscriptions every few seconds
(``consumer/``), so a change takes effect without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog import service as catalog
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.db import commit_or_conflict, flush_or_conflict
from gyrfalcon.core.errors import (
    InvalidInput,
    NotFound,
    ProblemError,
    invalid_input,
    validation_errors,
)
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.messages import proto_schemas, topics
from gyrfalcon.messages.models import (
    ConsumerState,
    DeletedSubscription,
    MessageSchema,
    MessageSchemaVersion,
    Position,
    Subscription,
)
from gyrfalcon.messages.protos import descriptors, paths
from gyrfalcon.messages.schemas import (
    ConsumerStatus,
    KeyFormat,
    PartitionLag,
    StartFrom,
    SubscriptionDefinition,
    SubscriptionRead,
    SubscriptionStatus,
    TopicRead,
    ValueFormat,
)
from gyrfalcon.messages.settings import MessagesSettings

Service = catalog.Service
KafkaCluster = catalog.KafkaCluster
_MOVING_FIELDS = ("cluster", "topic")


@dataclass(frozen=True)
class Located:
    subscription: Subscription
    service: str
    team: str | None
    cluster: str | None
    schema_name: str | None


def _located() -> Select[*tuple[Any, ...]]:
    return (
        select(Subscription, Service.name, Service.team, KafkaCluster.name, MessageSchema.name)
        .join(Service, Service.id == Subscription.service_id)
        .outerjoin(KafkaCluster, KafkaCluster.id == Subscription.cluster_id)
        .outerjoin(MessageSchema, MessageSchema.id == Subscription.schema_id)
    )


def _as_located(row: Any) -> Located:
    return Located(row[0], row[1], row[2], row[3], row[4])


def _in(statement: Select[*tuple[Any, ...]], scope: ServiceScope) -> Select[*tuple[Any, ...]]:
    if scope.everything:
        return statement
    return statement.where(Service.name.in_(scope.services) | Service.team.in_(scope.teams))


async def get_within(
    session: AsyncSession, *, subscription_id: int, scope: ServiceScope
) -> Located:
    """The subscription, if ``scope`` reaches its service; the same 404 otherwise."""
    row = (
        await session.execute(_in(_located(), scope).where(Subscription.id == subscription_id))
    ).first()
    if row is None:
        raise NotFound(f"No subscription with id {subscription_id}.")
    return _as_located(row)


async def list_located(
    session: AsyncSession, *, scope: ServiceScope, service: str | None = None
) -> list[Located]:
    statement = _in(_located(), scope).order_by(Service.name, Subscription.name)
    if service:
        statement = statement.where(Service.name == service)
    return [_as_located(row) for row in await session.execute(statement)]


def definition_of(located: Located) -> dict[str, Any]:
    row = located.subscription
    return {
        "service": located.service,
        "name": row.name,
        "description": row.description,
        "cluster": located.cluster,
        "topic": row.topic,
        "value_format": row.value_format,
        "schema_id": row.schema_id,
        "message_type": row.message_type,
        "key_format": row.key_format,
        "start_from": row.start_from,
        "start_at": row.start_at.isoformat() if row.start_at else None,
        "retention_days": row.retention_days,
        "indexed_fields": list(row.indexed_fields),
        "enabled": row.enabled,
    }


# --- status -------------------------------------------------------------------------------


def stale_after(settings: MessagesSettings) -> timedelta:
    """How long a subscription may go without a worker's report before it shows as not
    consumed: a few reconcile rounds and a group rebalance."""
    return timedelta(
        seconds=settings.messages_reconcile_seconds * 3
        + settings.messages_session_timeout_ms / 1000
        + 30
    )


async def statuses(
    session: AsyncSession, located: list[Located], *, stale_after: timedelta
) -> dict[int, SubscriptionStatus]:
    ids = [item.subscription.id for item in located]
    states = {
        state.subscription_id: state
        for state in await session.scalars(
            select(ConsumerState).where(ConsumerState.subscription_id.in_(ids))
        )
    }
    positions: dict[int, list[Position]] = {}
    for position in await session.scalars(
        select(Position).where(Position.subscription_id.in_(ids)).order_by(Position.partition)
    ):
        positions.setdefault(position.subscription_id, []).append(position)
    now = utcnow()
    return {
        item.subscription.id: _status(
            item,
            states.get(item.subscription.id),
            positions.get(item.subscription.id, []),
            stale=now - stale_after,
        )
        for item in located
    }


def _status(
    item: Located, state: ConsumerState | None, positions: list[Position], *, stale: datetime
) -> SubscriptionStatus:
    partitions = [
        PartitionLag(
            partition=p.partition,
            next_offset=p.next_offset,
            end_offset=p.end_offset,
            lag=None if p.end_offset is None else max(p.end_offset - p.next_offset, 0),
            worker=p.worker,
        )
        for p in positions
    ]
    known = [p.lag for p in partitions if p.lag is not None]
    lag = sum(known) if known else None
    stored = sum(p.stored for p in positions)
    last_ms = max((p.last_message_ms for p in positions if p.last_message_ms), default=None)
    last = datetime.fromtimestamp(last_ms / 1000, tz=UTC) if last_ms else None
    common = {
        "stored": stored,
        "last_message_at": last,
        "lag": lag,
        "partitions": partitions,
        "updated_at": state.updated_at if state else None,
    }
    if not item.subscription.enabled:
        return SubscriptionStatus(state=ConsumerStatus.PAUSED, error=None, **common)
    if item.cluster is None:
        error = "its Kafka cluster was deleted from the catalog; choose another"
        return SubscriptionStatus(state=ConsumerStatus.ERROR, error=error, **common)
    if state is None:
        return SubscriptionStatus(state=ConsumerStatus.STARTING, error=None, **common)
    if state.updated_at < stale:
        error = (
            f"no worker has reported on it since {state.updated_at:%Y-%m-%d %H:%M:%S} UTC: "
            "is a `gyrfalcon worker` (or `serve` with its services) running?"
        )
        return SubscriptionStatus(state=ConsumerStatus.ERROR, error=error, **common)
    return SubscriptionStatus(state=ConsumerStatus(state.state), error=state.error, **common)


def to_read(item: Located, status: SubscriptionStatus) -> SubscriptionRead:
    row = item.subscription
    return SubscriptionRead(
        id=row.id,
        service=item.service,
        name=row.name,
        description=row.description,
        cluster=item.cluster or "",
        topic=row.topic,
        value_format=ValueFormat(row.value_format),
        schema_id=row.schema_id,
        schema_name=item.schema_name,
        message_type=row.message_type,
        key_format=KeyFormat(row.key_format),
        start_from=StartFrom(row.start_from),
        start_at=row.start_at,
        retention_days=row.retention_days,
        indexed_fields=list(row.indexed_fields),
        enabled=row.enabled,
        status=status,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


# --- writing ------------------------------------------------------------------------------


async def _cluster(session: AsyncSession, name: str, field: str) -> KafkaCluster:
    cluster = await session.scalar(select(KafkaCluster).where(KafkaCluster.name == name))
    if cluster is None:
        raise InvalidInput(field, f"the catalog has no Kafka cluster named '{name}'")
    return cluster


def _config(cluster: KafkaCluster, box: SecretBox) -> KafkaClusterConfig:
    config = catalog.load_definition(catalog.KAFKA_CLUSTERS, cluster, box)
    assert isinstance(config, KafkaClusterConfig)
    return config


async def cluster_topics(
    session: AsyncSession, *, cluster: str, box: SecretBox, timeout: float
) -> list[TopicRead]:
    """The cluster's topics by name (Kafka's internal ones, such as the offsets topic,
    left out), or a 502 saying why the cluster does not answer."""
    found = await _cluster(session, cluster, "cluster")
    try:
        listed = await topics.cluster_topics(_config(found, box), timeout=timeout)
    except topics.ClusterUnreachable as exc:
        raise ProblemError(
            f"The cluster '{cluster}' does not answer: {exc}",
            status=502,
            title="Kafka cluster not answering",
        ) from None
    return [
        TopicRead(name=name, partitions=len(partitions))
        for name, partitions in sorted(listed.items())
        if not name.startswith("__")
    ]


@dataclass(frozen=True)
class _Resolved:
    service: Service
    cluster: KafkaCluster


async def _resolve(
    session: AsyncSession,
    definition: SubscriptionDefinition,
    *,
    write_scope: ServiceScope,
    read_scope: ServiceScope,
    box: SecretBox,
    timeout: float,
    check_topic: bool,
) -> _Resolved:
    service = await catalog.get_service(session, name=definition.service)
    if not write_scope.allows(service.name, service.team):
        raise NotFound(f"No service named '{definition.service}'.")
    cluster = await _cluster(session, definition.cluster, "cluster")
    if definition.value_format == ValueFormat.PROTOBUF:
        assert definition.schema_id is not None and definition.message_type is not None
        try:
            version = await proto_schemas.get_version(
                session, schema_id=definition.schema_id, version=None, scope=read_scope
            )
        except NotFound:
            raise InvalidInput("schema_id", f"no schema with id {definition.schema_id}") from None
        proto_schemas.check_type(version, definition.message_type)
        _check_paths(version, definition.message_type, definition.indexed_fields)
    if check_topic:
        try:
            await topics.topic_partitions(_config(cluster, box), definition.topic, timeout=timeout)
        except topics.UnknownTopic as exc:
            raise InvalidInput("topic", str(exc)) from None
        except topics.ClusterUnreachable:
            # Saved all the same: a cluster down for maintenance is no reason to refuse a
            # subscription, and its status says the cluster does not answer.
            pass
    return _Resolved(service, cluster)


def _check_paths(version: MessageSchemaVersion, message_type: str, fields: list[str]) -> None:
    descriptor = descriptors.descriptor_of(version.descriptor_set, message_type)
    for index, path in enumerate(fields):
        try:
            paths.proto_extractor(descriptor, path)
        except paths.UnknownPath as exc:
            raise InvalidInput(f"indexed_fields.{index}", str(exc)) from None


def _apply(row: Subscription, definition: SubscriptionDefinition, resolved: _Resolved) -> None:
    row.service_id = resolved.service.id
    row.name = definition.name
    row.description = definition.description
    row.cluster_id = resolved.cluster.id
    row.topic = definition.topic
    row.value_format = definition.value_format.value
    row.schema_id = definition.schema_id
    row.message_type = definition.message_type
    row.key_format = definition.key_format.value
    row.start_from = definition.start_from.value
    row.start_at = definition.start_at
    row.retention_days = definition.retention_days
    row.indexed_fields = list(definition.indexed_fields)
    row.enabled = definition.enabled


def _audit(
    session: AsyncSession,
    verb: str,
    identity: tuple[int, str, str],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    subscription_id, name, service = identity
    audit.record(
        session,
        action=f"subscription.{verb}",
        object_type="subscription",
        object_id=subscription_id,
        object_name=f"{service}/{name}",
        service=service,
        before=before,
        after=after,
    )


async def create(
    session: AsyncSession,
    definition: SubscriptionDefinition,
    *,
    write_scope: ServiceScope,
    read_scope: ServiceScope,
    box: SecretBox,
    timeout: float,
) -> int:
    resolved = await _resolve(
        session,
        definition,
        write_scope=write_scope,
        read_scope=read_scope,
        box=box,
        timeout=timeout,
        check_topic=True,
    )
    row = Subscription()
    _apply(row, definition, resolved)
    session.add(row)
    conflict = f"Service '{definition.service}' has a subscription named '{definition.name}'."
    await flush_or_conflict(session, conflict)
    after = definition.model_dump(mode="json")
    _audit(session, "create", (row.id, row.name, resolved.service.name), after=after)
    await commit_or_conflict(session, conflict)
    return row.id


def merge_update(current: dict[str, Any], patch: dict[str, Any]) -> SubscriptionDefinition:
    try:
        return SubscriptionDefinition.model_validate({**current, **patch})
    except ValidationError as exc:
        raise invalid_input(validation_errors(exc.errors())) from exc


async def update(
    session: AsyncSession,
    located: Located,
    patch: dict[str, Any],
    *,
    write_scope: ServiceScope,
    read_scope: ServiceScope,
    box: SecretBox,
    timeout: float,
) -> None:
    before = definition_of(located)
    if not write_scope.allows(located.service, located.team):
        raise NotFound(f"No subscription with id {located.subscription.id}.")
    definition = merge_update({**before, "cluster": located.cluster or ""}, patch)
    moved = any(before[name] != getattr(definition, name) for name in _MOVING_FIELDS)
    resolved = await _resolve(
        session,
        definition,
        write_scope=write_scope,
        read_scope=read_scope,
        box=box,
        timeout=timeout,
        check_topic=moved,
    )
    row = located.subscription
    _apply(row, definition, resolved)
    row.updated_at = utcnow()
    if moved:
        # Another topic is another stream: its offsets mean nothing for the old one, so the
        # consumer starts it afresh from the start position.
        await session.execute(delete(Position).where(Position.subscription_id == row.id))
    after = definition.model_dump(mode="json")
    _audit(session, "update", (row.id, row.name, resolved.service.name), before=before, after=after)
    await commit_or_conflict(
        session, f"Service '{definition.service}' has a subscription named '{definition.name}'."
    )


async def remove(
    session: AsyncSession, located: Located, *, write_scope: ServiceScope, commit: bool = True
) -> None:
    """Delete the subscription; its stored messages go with the retention service's next
    rounds, in bounded batches (ADR 0007). ``commit=False`` leaves the transaction to the
    caller (a service's deletion)."""
    if not write_scope.allows(located.service, located.team):
        raise NotFound(f"No subscription with id {located.subscription.id}.")
    before = definition_of(located)
    row = located.subscription
    await session.delete(row)
    session.add(DeletedSubscription(subscription_id=row.id))
    _audit(session, "delete", (row.id, row.name, located.service), before=before)
    if commit:
        await session.commit()
