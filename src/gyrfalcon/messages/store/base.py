"""The storage interface of consumed messages, so a column store can be added later.

Ingest writes a batch of messages with their partitions' next offsets in one
transaction, skipping what a partition's stored position says is already there: that
is what makes ingest exactly once when workers die or hand partitions over. Reads are
newest first by keyset (time, subscription, partition, offset), never by OFFSET.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, runtime_checkable

PartitionKey = tuple[int, int]
"""(subscription id, partition)."""


class MessageRow(NamedTuple):
    """A stored message; a tuple, since ingest makes one per record and the PostgreSQL
    store copies them as they are."""

    subscription_id: int
    partition: int
    offset: int
    timestamp_ms: int
    topic: str
    key: bytes | None
    headers: str
    """JSON of ``[name, value as base64]`` pairs, in the record's order."""
    value: bytes | None
    value_size: int
    schema_version_id: int | None
    decode_error: str | None


IndexRow = tuple[int, str, str, int, int, int]
"""One searchable value of a message: (subscription id, field, value, time in ms,
partition, offset). A plain tuple: ingest makes several per record, and the cyclic
collector stops tracking plain tuples of numbers and text (it keeps tracking named ones)."""
INDEX_COLUMNS = ("subscription_id", "field", "value", "timestamp_ms", "partition", "offset")


@dataclass
class Batch:
    """What one consumer poll gives the store: rows, their index, and for each
    partition consumed the offset after the last record (stored or skipped)."""

    rows: list[MessageRow] = field(default_factory=list)
    index: list[IndexRow] = field(default_factory=list)
    next_offsets: dict[PartitionKey, int] = field(default_factory=dict)
    end_offsets: dict[PartitionKey, int] = field(default_factory=dict)
    worker: str = ""
    """Who consumed it (host:pid), shown per partition."""


@dataclass(frozen=True)
class Cursor:
    """Where a newest-first page ended: the last message it gave."""

    timestamp_ms: int
    subscription_id: int
    partition: int
    offset: int


@dataclass(frozen=True)
class IndexMatch:
    field: str
    value: str
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    subscription_ids: tuple[int, ...]
    since_ms: int | None = None
    until_ms: int | None = None
    partition: int | None = None
    offset_min: int | None = None
    offset_max: int | None = None
    matches: tuple[IndexMatch, ...] = ()


@dataclass(frozen=True)
class Written:
    stored: int
    skipped: int
    """Records at or after a partition's stored position: another worker stored them."""


@runtime_checkable
class MessageStore(Protocol):
    concurrent_writes: int
    """How many writes, of different partitions, a consumer may make at once."""

    async def positions(self, subscription_ids: list[int]) -> dict[PartitionKey, int]:
        """The next offset to consume of every partition of the subscriptions."""
        ...

    async def start(self, positions: dict[PartitionKey, int]) -> None:
        """Record where partitions without a position start; ones that have one keep it."""
        ...

    async def write(self, batch: Batch) -> Written:
        """Store the batch's rows and move its positions, in one transaction."""
        ...

    async def record_ends(self, ends: dict[PartitionKey, int]) -> None:
        """The partitions' ends as last seen, for the lag of idle partitions."""
        ...

    async def page(self, query: Query, *, after: Cursor | None, limit: int) -> list[MessageRow]:
        """Up to ``limit`` messages matching ``query``, newest first, after ``after``."""
        ...

    async def from_offsets(
        self, subscription_id: int, offsets: dict[int, int], *, limit: int
    ) -> list[MessageRow]:
        """Messages at or after each partition's offset, oldest first per partition (the
        live tail: arrival order, whatever time the producer gave a record)."""
        ...

    async def get(self, subscription_id: int, partition: int, offset: int) -> MessageRow | None: ...

    async def indexed(
        self, subscription_id: int, partition: int, offset: int
    ) -> dict[str, list[str]]:
        """The indexed values of one message, by field."""
        ...

    async def prepare(self, *, now_ms: int, keep_days: int) -> int:
        """Ready the store for the days to come and drop, whole, what is older than
        ``keep_days`` for every subscription (PostgreSQL's day partitions); returns the
        messages dropped. A store without such units does nothing here."""
        ...

    async def purge(self, subscription_id: int, *, before_ms: int, limit: int) -> int:
        """Delete up to ``limit`` of the subscription's messages older than ``before_ms``
        in one short transaction; returns how many it found to delete."""
        ...

    async def purge_index(self, subscription_id: int, *, before_ms: int, limit: int) -> int:
        """The same for the index rows of those messages."""
        ...
