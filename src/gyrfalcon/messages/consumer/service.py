"""The consumers' background service: every few seconds it reads the enabled
subscriptions and their schemas' latest versions, keeps one :class:`ClusterConsumer`
per cluster in step with them, and reports each subscription's state and lag.

Runs in every ``gyrfalcon worker`` (and ``serve`` with its services); the workers of
one deployment share one consumer group, so Kafka spreads the partitions among them
and a deployment scales out with its workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import socket
from dataclasses import dataclass
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog import service as catalog
from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.failures import describe
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.messages import topics
from gyrfalcon.messages.consumer.cluster import ClusterConsumer, Plan
from gyrfalcon.messages.consumer.decoding import Decoder, SchemaVersion
from gyrfalcon.messages.models import ConsumerState, MessageSchemaVersion, Subscription
from gyrfalcon.messages.schemas import ConsumerStatus
from gyrfalcon.messages.settings import MessagesSettings
from gyrfalcon.messages.store.base import MessageStore
from gyrfalcon.messages.store.registry import store_of

_logger = logging.getLogger(__name__)
_MAX_BACKOFF_SECONDS = 30.0


@dataclass
class _Running:
    consumer: ClusterConsumer
    revision: KafkaClusterConfig
    """The definition the consumer was opened with: it is opened again when that
    changes, not when the cluster's row does (a scheduled connection test writes its
    result there, and each restart costs a consumer-group rebalance)."""
    stop: asyncio.Event
    task: asyncio.Task[None]


class ConsumerService:
    name = "messages.consumers"

    def __init__(self, context: AppContext, *, store: MessageStore | None = None) -> None:
        self._context = context
        self._settings = context.settings.section(MessagesSettings)
        self._store = store or store_of(context)
        self._running: dict[int, _Running] = {}
        self._decoders: dict[int, tuple[tuple[object, ...], Decoder]] = {}
        self._schemas: dict[int, SchemaVersion] = {}
        self._unusable: dict[int, tuple[str, list[int]]] = {}
        """Clusters whose definition cannot be loaded: why, and their subscriptions."""
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    async def run(self, stop: asyncio.Event) -> None:
        # Everything the process made while starting (modules, settings, pools) lives as
        # long as it does: frozen out of the cyclic collector, whose full passes over the
        # heap the consumers' allocations would otherwise start again and again.
        gc.freeze()
        try:
            while not stop.is_set():
                await self.reconcile()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        stop.wait(), timeout=self._settings.messages_reconcile_seconds
                    )
        finally:
            await self.close()

    async def close(self) -> None:
        for cluster_id in list(self._running):
            await self._stop(cluster_id)

    async def reconcile(self) -> None:
        """One round: follow the subscriptions, then report on them."""
        async with self._context.database.sessionmaker() as session:
            wanted = await self._plans(session)
        for cluster_id in set(self._running) - set(wanted):
            await self._stop(cluster_id)
        for cluster_id, (config, plans) in wanted.items():
            running = self._running.get(cluster_id)
            if running is not None and running.revision != config:
                await self._stop(cluster_id)
                running = None
            if running is None:
                running = self._start(cluster_id, config)
            running.consumer.update(plans)
        try:
            await self._report(wanted)
        except SQLAlchemyError as exc:
            # The state is only a report: a lock timeout there must not stop the
            # consumers (the service restarting would cost a group rebalance).
            _logger.warning("cannot record the consumers' state: %s; again next round", exc)

    async def _plans(
        self, session: AsyncSession
    ) -> dict[int, tuple[KafkaClusterConfig, list[Plan]]]:
        rows = list(
            await session.execute(
                select(Subscription, catalog.KafkaCluster)
                .join(catalog.KafkaCluster, catalog.KafkaCluster.id == Subscription.cluster_id)
                .where(Subscription.enabled.is_(True))
                .order_by(Subscription.id)
            )
        )
        versions = await self._latest_versions(
            session, {row[0].schema_id for row in rows if row[0].schema_id is not None}
        )
        wanted: dict[int, tuple[KafkaClusterConfig, list[Plan]]] = {}
        self._unusable = {}
        for subscription, cluster in rows:
            if cluster.id in self._unusable:
                self._unusable[cluster.id][1].append(subscription.id)
                continue
            if cluster.id not in wanted:
                try:
                    config = catalog.load_definition(
                        catalog.KAFKA_CLUSTERS, cluster, self._context.secrets
                    )
                except ProblemError as exc:
                    # Its stored secrets cannot be read (another secret key): this
                    # cluster's subscriptions say so, the other clusters go on.
                    self._unusable[cluster.id] = (exc.detail, [subscription.id])
                    continue
                assert isinstance(config, KafkaClusterConfig)
                wanted[cluster.id] = (config, [])
            schema = versions.get(subscription.schema_id) if subscription.schema_id else None
            wanted[cluster.id][1].append(self._plan(subscription, schema))
        return wanted

    async def _latest_versions(
        self, session: AsyncSession, schema_ids: set[int]
    ) -> dict[int, SchemaVersion]:
        if not schema_ids:
            return {}
        latest = {
            row[0]: row[1]
            for row in await session.execute(
                select(MessageSchemaVersion.schema_id, func.max(MessageSchemaVersion.id))
                .where(MessageSchemaVersion.schema_id.in_(schema_ids))
                .group_by(MessageSchemaVersion.schema_id)
            )
        }
        missing = [vid for vid in latest.values() if vid not in self._schemas]
        if missing:
            for row in await session.execute(
                select(
                    MessageSchemaVersion.id,
                    MessageSchemaVersion.version,
                    MessageSchemaVersion.descriptor_set,
                ).where(MessageSchemaVersion.id.in_(missing))
            ):
                self._schemas[row[0]] = SchemaVersion(row[0], row[1], row[2])
        return {schema_id: self._schemas[vid] for schema_id, vid in latest.items()}

    def _plan(self, subscription: Subscription, schema: SchemaVersion | None) -> Plan:
        revision = (subscription.updated_at, schema.id if schema else None)
        cached = self._decoders.get(subscription.id)
        if cached is None or cached[0] != revision:
            decoder = Decoder(
                subscription.id,
                value_format=subscription.value_format,
                key_format=subscription.key_format,
                indexed_fields=list(subscription.indexed_fields),
                message_type=subscription.message_type,
                schema=schema,
                max_value_bytes=self._settings.messages_max_value_bytes,
            )
            cached = (revision, decoder)
            self._decoders[subscription.id] = cached
        start_at = subscription.start_at
        return Plan(
            subscription_id=subscription.id,
            topic=subscription.topic,
            start_from=subscription.start_from,
            start_at_ms=int(start_at.timestamp() * 1000) if start_at else None,
            decoder=cached[1],
            revision=revision,
        )

    def _start(self, cluster_id: int, config: KafkaClusterConfig) -> _Running:
        settings = self._settings
        consumer = ClusterConsumer(
            cluster_id,
            config,
            self._store,
            group=settings.messages_consumer_group,
            session_timeout_ms=settings.messages_session_timeout_ms,
            batch_max=settings.messages_batch_max,
            writers=self._store.concurrent_writes,
            timeout=settings.messages_timeout_seconds,
            max_value_bytes=settings.messages_max_value_bytes,
            worker=self.worker,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(
            self._keep(consumer, stop), name=f"messages:cluster:{cluster_id}"
        )
        running = _Running(consumer, config, stop, task)
        self._running[cluster_id] = running
        return running

    async def _keep(self, consumer: ClusterConsumer, stop: asyncio.Event) -> None:
        """Run the cluster's consumer until stopped, starting it again after a failure
        (a broker gone away) with capped backoff, its reason kept for the status."""
        backoff = 1.0
        while not stop.is_set():
            try:
                await consumer.run(stop)
                backoff = 1.0
            except Exception as exc:
                target = kafka.target(consumer.config)
                classify = partial(kafka.classify, consumer.config, target)
                consumer.error = describe(
                    exc, target, timeout=self._settings.messages_timeout_seconds, classify=classify
                )
                _logger.warning(
                    "messages consumer of cluster %s failed: %s; again in %.0fs",
                    consumer.cluster_id,
                    consumer.error,
                    backoff,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)

    async def _stop(self, cluster_id: int) -> None:
        running = self._running.pop(cluster_id)
        running.stop.set()
        try:
            await asyncio.wait_for(running.task, timeout=self._settings.messages_timeout_seconds)
        except (TimeoutError, asyncio.CancelledError):
            running.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await running.task

    async def _report(self, wanted: dict[int, tuple[KafkaClusterConfig, list[Plan]]]) -> None:
        states: dict[int, tuple[ConsumerStatus, str | None]] = {}
        for cluster_id, (config, plans) in wanted.items():
            consumer = self._running[cluster_id].consumer
            problems = await self._problems(config, plans)
            behind = consumer.behind_positions()
            for plan in plans:
                error = (
                    problems.get(plan.topic)
                    or consumer.error
                    or behind.get(plan.subscription_id)
                    or plan.decoder.problem
                )
                states[plan.subscription_id] = (
                    ConsumerStatus.ERROR if error else ConsumerStatus.RUNNING,
                    error,
                )
            await self._store.record_ends(consumer.highwaters())
        for reason, subscription_ids in self._unusable.values():
            for subscription_id in subscription_ids:
                states[subscription_id] = (ConsumerStatus.ERROR, reason)
        now = utcnow()
        async with self._context.database.sessionmaker() as session:
            for subscription_id, (state, error) in states.items():
                await session.merge(
                    ConsumerState(
                        subscription_id=subscription_id,
                        state=state.value,
                        error=error,
                        worker=self.worker,
                        updated_at=now,
                    )
                )
            try:
                await session.commit()
            except IntegrityError:
                # A subscription deleted since this round read it: its state goes with it.
                await session.rollback()

    async def _problems(self, config: KafkaClusterConfig, plans: list[Plan]) -> dict[str, str]:
        """Why a topic cannot be consumed (the cluster does not answer, the topic does not
        exist), by topic; a topic absent is consumed as soon as it is created."""
        wanted = {plan.topic for plan in plans}
        try:
            found = await topics.cluster_topics(
                config, timeout=self._settings.messages_timeout_seconds
            )
        except topics.ClusterUnreachable as exc:
            return dict.fromkeys(wanted, f"the cluster does not answer: {exc}")
        return {name: topics.unknown(name, list(found)) for name in wanted if name not in found}
