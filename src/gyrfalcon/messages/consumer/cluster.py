"""One Kafka consumer for one cluster: every enabled subscription on the cluster's
topics, in the deployment's consumer group, writing to the store.

Positions live in the store, not in Kafka (ADR 0007): on every assignment the consumer
seeks each partition to the lowest stored next offset of the subscriptions on its topic
(recording a start position first for a subscription that has none), and each batch's
rows and next offsets are one transaction. Kafka's committed offsets follow as a
courtesy for lag tools and are never read back.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.messages.consumer.decoding import Decoder
from gyrfalcon.messages.schemas import StartFrom
from gyrfalcon.messages.store.base import Batch, MessageStore, PartitionKey

_logger = logging.getLogger(__name__)
CLIENT_ID = "gyrfalcon-messages"
COMMIT_EVERY_SECONDS = 1.0
"""How often the positions are also committed to Kafka, for lag tools (a round trip to
the group coordinator per batch would slow ingest; the store's positions are what count)."""


_YIELD_EVERY = 250
"""Decoding lets the writes in flight go on this often: the database answers each step
of a write (positions, COPY, commit) and waits for the next, which would otherwise wait
for the whole batch to be decoded."""


@dataclass(frozen=True)
class Plan:
    """What one subscription asks of its cluster's consumer."""

    subscription_id: int
    topic: str
    start_from: str
    start_at_ms: int | None
    decoder: Decoder
    revision: tuple[Any, ...]
    """Changes when the subscription or its schema changes: the decoder is rebuilt."""


@dataclass
class _Topic:
    plans: dict[int, Plan] = field(default_factory=dict)


class ClusterConsumer:
    def __init__(
        self,
        cluster_id: int,
        config: KafkaClusterConfig,
        store: MessageStore,
        *,
        group: str,
        session_timeout_ms: int,
        batch_max: int,
        writers: int,
        timeout: float,
        max_value_bytes: int,
        worker: str,
    ) -> None:
        self.cluster_id = cluster_id
        self._worker = worker
        self.config = config
        self._store = store
        self._group = group
        self._session_timeout_ms = session_timeout_ms
        self._batch_max = batch_max
        self._writers = writers
        self._timeout = timeout
        self._max_value_bytes = max_value_bytes
        self._topics: dict[str, _Topic] = {}
        self._next: dict[PartitionKey, int] = {}
        """Each subscription's next offset per partition, as the store has it."""
        self._reseek: set[str] = set()
        self._subscribed: frozenset[str] = frozenset()
        self._consumer: AIOKafkaConsumer | None = None
        self.error: str | None = None
        """Why the consumer cannot consume (start failed), None while it works."""
        self._uncommitted: set[TopicPartition] = set()
        self._committed_at = 0.0
        self.stored = 0

    # --- the plan ------------------------------------------------------------------------

    def update(self, plans: Iterable[Plan]) -> None:
        """Take the cluster's subscriptions as they are now; new subscriptions on a topic
        already consumed get their partitions sought again at the next poll."""
        topics: dict[str, _Topic] = {}
        for plan in plans:
            topics.setdefault(plan.topic, _Topic()).plans[plan.subscription_id] = plan
        for name, topic in topics.items():
            known = self._topics.get(name)
            if known is not None and set(topic.plans) - set(known.plans):
                self._reseek.add(name)
        gone = {
            subscription_id
            for name, topic in self._topics.items()
            for subscription_id in topic.plans
            if subscription_id not in topics.get(name, _Topic()).plans
        }
        self._next = {key: offset for key, offset in self._next.items() if key[0] not in gone}
        self._topics = topics

    @property
    def subscription_ids(self) -> list[int]:
        return [sid for topic in self._topics.values() for sid in topic.plans]

    @property
    def assignment(self) -> set[TopicPartition]:
        return set(self._consumer.assignment()) if self._consumer is not None else set()

    def highwaters(self) -> dict[PartitionKey, int]:
        """The end of every assigned partition as last fetched, per subscription."""
        ends: dict[PartitionKey, int] = {}
        consumer = self._consumer
        if consumer is None:
            return ends
        for tp in consumer.assignment():
            end = consumer.highwater(tp)
            topic = self._topics.get(tp.topic)
            if end is None or topic is None:
                continue
            for subscription_id in topic.plans:
                if (subscription_id, tp.partition) in self._next:
                    ends[(subscription_id, tp.partition)] = end
        return ends

    def behind_positions(self) -> dict[int, str]:
        """Subscriptions whose stored position is past a partition's end: the topic was
        deleted and created again (or the broker lost its log), so its offsets start over
        below what is stored. Those records are not stored again; the status says why."""
        problems: dict[int, str] = {}
        for (subscription_id, partition), end in self.highwaters().items():
            stored = self._next.get((subscription_id, partition))
            if stored is not None and end < stored:
                problems[subscription_id] = (
                    f"partition {partition} ends at offset {end}, before the stored position "
                    f"{stored}: the topic was probably deleted and created again; its new "
                    "messages below that offset are not stored (subscribe anew to read them)"
                )
        return problems

    # --- running -------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        consumer = kafka.open_consumer(
            self.config,
            timeout=self._timeout,
            client_id=CLIENT_ID,
            group_id=self._group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=self._session_timeout_ms,
            heartbeat_interval_ms=max(self._session_timeout_ms // 3, 100),
            max_partition_fetch_bytes=max(self._max_value_bytes, 1024 * 1024),
            fetch_max_bytes=max(self._max_value_bytes * 2, 50 * 1024 * 1024),
        )
        self._consumer = consumer
        writing: dict[int, asyncio.Task[None]] = {}
        """Each lane's write in flight: a lane's batches reach the store one after the
        other, the lanes' at once."""
        turn = quiet = 0
        try:
            await consumer.start()
            self.error = None
            while not stop.is_set():
                await self._follow_topics(consumer)
                if not self._subscribed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=1)
                    continue
                if self._reseek:
                    topics = set(self._reseek)
                    await self._seek(
                        consumer, [tp for tp in consumer.assignment() if tp.topic in topics]
                    )
                    self._reseek -= topics
                lanes = self._lanes(consumer.assignment())
                # One lane per poll, in turn, without waiting, so each lane's next batch
                # is on its way while the others write; once every lane came up empty,
                # one poll of all partitions waits for whichever has records first.
                if lanes and quiet < len(lanes):
                    partitions, wait_ms = lanes[turn % len(lanes)], 0
                    turn += 1
                else:
                    partitions, wait_ms = [], 1000
                fetched = await consumer.getmany(
                    *partitions, timeout_ms=wait_ms, max_records=self._batch_max
                )
                quiet = 0 if fetched else quiet + 1
                for lane, records in self._lanes_of(fetched).items():
                    task = await self._ingest(consumer, records, writing.pop(lane, None))
                    if task is not None:
                        writing[lane] = task
                for lane, task in list(writing.items()):
                    if task.done():
                        del writing[lane]
                        await task  # a failed write fails the consumer now, not later
            for task in writing.values():
                await task
        finally:
            for task in writing.values():
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
            self._consumer = None
            with contextlib.suppress(Exception):
                await consumer.stop()

    def _lane(self, tp: TopicPartition) -> int:
        """A partition's write lane. It never changes, so two writes of one partition
        never run at once (they would wait on each other's position lock, or deadlock
        on two partitions taken in opposite orders)."""
        topic: str = tp.topic
        partition: int = tp.partition
        return (zlib.crc32(topic.encode()) + partition) % self._writers

    def _lanes(self, assignment: Iterable[TopicPartition]) -> list[list[TopicPartition]]:
        lanes: dict[int, list[TopicPartition]] = {}
        for tp in assignment:
            lanes.setdefault(self._lane(tp), []).append(tp)
        return [lanes[lane] for lane in sorted(lanes)]

    def _lanes_of(
        self, fetched: dict[TopicPartition, list[Any]]
    ) -> dict[int, dict[TopicPartition, list[Any]]]:
        lanes: dict[int, dict[TopicPartition, list[Any]]] = {}
        for tp, records in fetched.items():
            lanes.setdefault(self._lane(tp), {})[tp] = records
        return lanes

    async def _follow_topics(self, consumer: AIOKafkaConsumer) -> None:
        wanted = frozenset(self._topics)
        if wanted == self._subscribed:
            return
        if wanted:
            consumer.subscribe(topics=sorted(wanted), listener=_Listener(self, consumer))
        else:
            consumer.unsubscribe()
        self._subscribed = wanted

    async def assigned(self, consumer: AIOKafkaConsumer, partitions: set[TopicPartition]) -> None:
        self._next = {}
        try:
            await self._seek(consumer, list(partitions))
        except Exception:
            # aiokafka only logs what a listener raises; without positions the records
            # would be skipped, so the poll loop seeks again (and fails loudly).
            _logger.exception("cannot seek the partitions assigned to the messages consumer")
            self._reseek.update(tp.topic for tp in partitions)

    async def _seek(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        """Seek each partition to the lowest next offset of its topic's subscriptions,
        recording start positions for the subscriptions that have none."""
        if not partitions:
            return
        ids = [sid for tp in partitions for sid in self._topics.get(tp.topic, _Topic()).plans]
        stored = await self._store.positions(sorted(set(ids)))
        missing: dict[PartitionKey, TopicPartition] = {}
        for tp in partitions:
            for subscription_id in self._topics.get(tp.topic, _Topic()).plans:
                if (subscription_id, tp.partition) not in stored:
                    missing[(subscription_id, tp.partition)] = tp
        if missing:
            await self._store.start(await self._starts(consumer, missing))
            stored = await self._store.positions(sorted(set(ids)))
        for tp in partitions:
            plans = self._topics.get(tp.topic, _Topic()).plans
            offsets = [
                stored[(sid, tp.partition)] for sid in plans if (sid, tp.partition) in stored
            ]
            for sid in plans:
                if (sid, tp.partition) in stored:
                    self._next[(sid, tp.partition)] = stored[(sid, tp.partition)]
            if offsets:
                consumer.seek(tp, min(offsets))

    async def _starts(
        self, consumer: AIOKafkaConsumer, missing: dict[PartitionKey, TopicPartition]
    ) -> dict[PartitionKey, int]:
        tps = sorted(set(missing.values()))
        ends = await consumer.end_offsets(tps)
        beginnings = await consumer.beginning_offsets(tps)
        starts: dict[PartitionKey, int] = {}
        for (subscription_id, partition), tp in missing.items():
            plan = self._topics[tp.topic].plans[subscription_id]
            if plan.start_from == StartFrom.EARLIEST:
                starts[(subscription_id, partition)] = beginnings[tp]
            elif plan.start_from == StartFrom.TIMESTAMP and plan.start_at_ms is not None:
                found = await consumer.offsets_for_times({tp: plan.start_at_ms})
                at = found.get(tp)
                starts[(subscription_id, partition)] = at.offset if at is not None else ends[tp]
            else:
                starts[(subscription_id, partition)] = ends[tp]
        return starts

    async def _ingest(
        self,
        consumer: AIOKafkaConsumer,
        fetched: dict[TopicPartition, list[Any]],
        writing: asyncio.Task[None] | None,
    ) -> asyncio.Task[None] | None:
        """Decode a lane's batch while the lane's batch before is still being written,
        then write it once that one is done: decoding (the worker's CPU) and the writes
        (the database's) overlap, and a lane's batches reach the store one after the
        other."""
        with _without_cyclic_gc():
            batch = await self._batch(consumer, fetched)
        if writing is not None:
            await writing
        if not batch.next_offsets:
            return None
        return asyncio.create_task(self._write(consumer, batch, fetched))

    async def _write(
        self, consumer: AIOKafkaConsumer, batch: Batch, fetched: dict[TopicPartition, list[Any]]
    ) -> None:
        written = await self._store.write(batch)
        self.stored += written.stored
        for key, offset in batch.next_offsets.items():
            self._next[key] = max(self._next.get(key, offset), offset)
        self._uncommitted.update(fetched)
        now = asyncio.get_running_loop().time()
        if now - self._committed_at >= COMMIT_EVERY_SECONDS:
            self._committed_at = now
            await self._courtesy_commit(consumer, self._uncommitted)
            self._uncommitted = set()

    async def _batch(
        self, consumer: AIOKafkaConsumer, fetched: dict[TopicPartition, list[Any]]
    ) -> Batch:
        batch = Batch(worker=self._worker)
        decoded = 0
        for tp, records in fetched.items():
            topic = self._topics.get(tp.topic)
            if topic is None or not records:
                continue
            end = consumer.highwater(tp)
            for subscription_id, plan in topic.plans.items():
                key = (subscription_id, tp.partition)
                position = self._next.get(key)
                if position is None:
                    continue  # not sought for this subscription yet: the next seek will
                for record in records:
                    if record.offset < position:
                        continue
                    row, index = plan.decoder.decode(record)
                    batch.rows.append(row)
                    batch.index.extend(index)
                    decoded += 1
                    if decoded % _YIELD_EVERY == 0:
                        await asyncio.sleep(0)
                last = records[-1].offset + 1
                if last > position:
                    batch.next_offsets[key] = last
                if end is not None:
                    batch.end_offsets[key] = end
        return batch

    async def _courtesy_commit(
        self, consumer: AIOKafkaConsumer, fetched: Iterable[TopicPartition]
    ) -> None:
        offsets = {}
        for tp in fetched:
            plans = self._topics.get(tp.topic, _Topic()).plans
            nexts = [
                self._next[(sid, tp.partition)]
                for sid in plans
                if (sid, tp.partition) in self._next
            ]
            if nexts:
                offsets[tp] = OffsetAndMetadata(min(nexts), "")
        try:
            await consumer.commit(offsets)
        except Exception as exc:  # a courtesy: the store's positions are what count
            _logger.debug("courtesy commit to Kafka failed: %s", exc)


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Decoding a batch makes tens of thousands of small tuples; the cyclic collector,
    run again and again meanwhile, walked the whole heap each time and halved ingest
    (measured: 55k against 120k records/s). The rows hold no cycles, so reference
    counting frees them; the collector only waits until the batch is built (the other
    lanes' writes that run in its turns make little garbage of their own)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, owner: ClusterConsumer, consumer: AIOKafkaConsumer) -> None:
        self._owner = owner
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        return None

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self._owner.assigned(self._consumer, set(assigned))
