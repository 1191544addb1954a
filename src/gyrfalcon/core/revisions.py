"""Revision counters, so each process can cache read-mostly data without serving it stale.

A write that changes cached data bumps the data's revision in the same transaction
(``bump``). A ``RevisionedCache`` keeps loaded values until the revision moves: at
once when the change was committed by this process, and within ``max_staleness``
seconds when another replica made it (it reads the stored revision at most that
often, so a cached read costs no database round trip at all).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, String, event, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from gyrfalcon.core.orm import Base

K = TypeVar("K")
V = TypeVar("V")
LOCAL_REVISIONS_KEY = "gyrfalcon.local_revisions"
CACHES_KEY = "gyrfalcon.caches"
MAX_STALENESS_KEY = "gyrfalcon.cache_max_staleness"
_BUMPED_KEY = "gyrfalcon.bumped_revisions"


class Revision(Base):
    __tablename__ = "revisions"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class LocalRevisions:
    """How many changes this process has committed per revision name."""

    def __init__(self) -> None:
        self._counters: defaultdict[str, int] = defaultdict(int)

    def advance(self, name: str) -> None:
        self._counters[name] += 1

    def get(self, name: str) -> int:
        return self._counters[name]


async def bump(session: AsyncSession, name: str) -> None:
    """Marks ``name``'s cached data as changed, as part of the session's transaction."""
    # No autoflush: a pending insert that breaks a unique constraint must fail at commit,
    # where callers turn it into a 409, not here.
    with session.no_autoflush:
        result = await session.execute(
            update(Revision).where(Revision.name == name).values(value=Revision.value + 1)
        )
    if not getattr(result, "rowcount", 0):
        session.add(Revision(name=name, value=1))
    session.info.setdefault(_BUMPED_KEY, set()).add(name)


@event.listens_for(Session, "after_commit")
def _publish_local_bumps(session: Session) -> None:
    bumped: set[str] | None = session.info.pop(_BUMPED_KEY, None)
    local: LocalRevisions | None = session.info.get(LOCAL_REVISIONS_KEY)
    if bumped and local is not None:
        for name in bumped:
            local.advance(name)


@event.listens_for(Session, "after_rollback")
def _forget_bumps(session: Session) -> None:
    session.info.pop(_BUMPED_KEY, None)


def _local(session: AsyncSession) -> LocalRevisions:
    local = session.info.get(LOCAL_REVISIONS_KEY)
    if not isinstance(local, LocalRevisions):
        raise RuntimeError("session was not made by gyrfalcon.core.db.Database")
    return local


class RevisionedCache(Generic[K, V]):
    """Values by key, all dropped together when the revision ``name`` moves."""

    def __init__(self, name: str, *, max_staleness: float = 1.0, max_entries: int = 10_000):
        self.name = name
        self._max_staleness = max_staleness
        self._max_entries = max_entries
        self._values: OrderedDict[K, V] = OrderedDict()
        self._stored: int | None = None
        self._local_seen = -1
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self, session: AsyncSession, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The cached value of ``key``, or ``load()``'s result, remembered."""
        await self._validate(session)
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = await load()
        self._values[key] = value
        if len(self._values) > self._max_entries:
            self._values.popitem(last=False)
        return value

    def discard(self, key: K) -> None:
        self._values.pop(key, None)

    async def _validate(self, session: AsyncSession) -> None:
        local = _local(session).get(self.name)
        stale = time.monotonic() - self._checked_at >= self._max_staleness
        busy = self._max_staleness > 0 and self._lock.locked()
        if local == self._local_seen and (not stale or busy):
            # Current, or another request is re-reading the revision right now: a change
            # made by another replica may show a few milliseconds later, never a local one.
            return
        async with self._lock:
            local = _local(session).get(self.name)
            if (
                local == self._local_seen
                and time.monotonic() - self._checked_at < self._max_staleness
            ):
                return
            stored = await session.scalar(select(Revision.value).where(Revision.name == self.name))
            if stored != self._stored or local != self._local_seen:
                self._values.clear()
            self._stored, self._local_seen = stored, local
            self._checked_at = time.monotonic()


def cache_for(session: AsyncSession, name: str) -> RevisionedCache[Any, Any]:
    """The process's cache that follows revision ``name`` (one per database)."""
    registry: dict[str, RevisionedCache[Any, Any]] = session.info[CACHES_KEY]
    if name not in registry:
        registry[name] = RevisionedCache(name, max_staleness=session.info[MAX_STALENESS_KEY])
    return registry[name]
