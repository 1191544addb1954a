"""Failed-login throttling that slows a guesser without locking anyone else out.

The review showed the old per-address window lock everyone behind one address (the
admin included) out for five minutes after twenty failures, count per process, and let
each failure write an audit row. Now, in the platform database so that every replica
and worker shares the counts (like Keycloak's brute-force detection and django-axes):

* **per (username, address) pair**, after ``login_max_failures_per_user`` failures each
  further failure doubles a wait (2 s, 4 s, ... up to 15 minutes) before the pair may
  try again: guessing one account from one place slows to a crawl, while the same
  account from another address, and other accounts from this one, are untouched;
* **per address**, after ``login_max_failures_per_address`` failures (a password spray
  across usernames) the same doubling applies, capped at one minute so it only slows.
  A pair that logged in successfully within ``_KNOWN_DAYS`` is not held by its
  address's wait: the admin behind an attacked NAT still gets in;
* failures older than ``login_failure_window_seconds`` are forgotten;
* a success clears its pair, never the address (an attacker's own account cannot reset
  the spray budget).

:meth:`LoginThrottle.record_failure` says whether the failure is worth an audit row:
only those within the limits are, so an anonymous caller adds at most the address's
limit of rows per window, and a throttled attempt (429) adds none.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gyrfalcon.auth.models import LoginThrottle as Counter
from gyrfalcon.auth.settings import AuthSettings
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.orm import utcnow

_BASE_WAIT = timedelta(seconds=2)
_PAIR_CAP = timedelta(minutes=15)
_ADDRESS_CAP = timedelta(minutes=1)
_KNOWN_DAYS = 30
_KEY_CHARS = 400


class TooManyLoginAttempts(ProblemError):
    status = 429
    title = "Too many login attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed logins; try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Rule:
    limit: int
    cap: timedelta

    def wait(self, failures: int) -> timedelta | None:
        if failures < self.limit:
            return None
        doubled: timedelta = _BASE_WAIT * 2 ** min(failures - self.limit, 20)
        return min(self.cap, doubled)


def _pair_key(username: str, address: str | None) -> str:
    # Directories match names without regard to case: "Alice" and "alice" share a budget.
    return f"pair\n{address or '-'}\n{username.casefold()}"[:_KEY_CHARS]


def _address_key(address: str) -> str:
    return f"address\n{address}"[:_KEY_CHARS]


class LoginThrottle:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        max_per_pair: int,
        max_per_address: int,
        window_seconds: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._pair = _Rule(max_per_pair, _PAIR_CAP)
        self._address = _Rule(max_per_address, _ADDRESS_CAP)
        self._window = timedelta(seconds=window_seconds)
        self._clock = clock

    @classmethod
    def from_settings(
        cls, settings: AuthSettings, sessionmaker: async_sessionmaker[AsyncSession]
    ) -> LoginThrottle:
        return cls(
            sessionmaker,
            max_per_pair=settings.login_max_failures_per_user,
            max_per_address=settings.login_max_failures_per_address,
            window_seconds=settings.login_failure_window_seconds,
        )

    async def check(self, username: str, address: str | None) -> None:
        """Raises ``TooManyLoginAttempts`` while the pair, or its address, must wait;
        called before the password is looked at."""
        now = self._clock()
        async with self._sessionmaker() as session:
            pair = await session.get(Counter, _pair_key(username, address))
            waits = [self._remaining(pair, now)]
            known = (
                pair is not None
                and pair.succeeded_at is not None
                and now - pair.succeeded_at < timedelta(days=_KNOWN_DAYS)
            )
            if address is not None and not known:
                waits.append(
                    self._remaining(await session.get(Counter, _address_key(address)), now)
                )
        wait = max(waits)
        if wait > 0:
            raise TooManyLoginAttempts(max(1, math.ceil(wait)))

    def _remaining(self, counter: Counter | None, now: datetime) -> float:
        if counter is None or counter.blocked_until is None:
            return 0.0
        return max(0.0, (counter.blocked_until - now).total_seconds())

    async def record_failure(self, username: str, address: str | None) -> bool:
        """Counts a failure; True while it is within the limits (worth an audit row)."""
        now = self._clock()
        within = await self._count(_pair_key(username, address), self._pair, now)
        if address is not None:
            within = await self._count(_address_key(address), self._address, now) and within
        return within

    async def record_success(self, username: str, address: str | None) -> None:
        async with self._sessionmaker() as session:
            pair = await self._counter(session, _pair_key(username, address))
            pair.failures, pair.blocked_until, pair.succeeded_at = 0, None, self._clock()
            await self._commit(session)

    async def forget_stale(self) -> int:
        """Deletes counters that no longer hold anything back: quiet for a window, no wait
        left, and no success recent enough to matter. Keeps the table from growing with
        every name a password spray tries."""
        now = self._clock()
        async with self._sessionmaker() as session:
            result = await session.execute(
                delete(Counter).where(
                    or_(
                        Counter.last_failure_at.is_(None),
                        Counter.last_failure_at < now - self._window,
                    ),
                    or_(Counter.blocked_until.is_(None), Counter.blocked_until < now),
                    or_(
                        Counter.succeeded_at.is_(None),
                        Counter.succeeded_at < now - timedelta(days=_KNOWN_DAYS),
                    ),
                )
            )
            await session.commit()
        return int(getattr(result, "rowcount", 0) or 0)

    async def _count(self, key: str, rule: _Rule, now: datetime) -> bool:
        async with self._sessionmaker() as session:
            counter = await self._counter(session, key)
            if counter.last_failure_at is not None and now - counter.last_failure_at > self._window:
                counter.failures = 0  # quiet for a window: forgotten
            counter.failures += 1
            counter.last_failure_at = now
            wait = rule.wait(counter.failures)
            counter.blocked_until = now + wait if wait is not None else None
            within = counter.failures <= rule.limit
            await self._commit(session)
        return within

    async def _counter(self, session: AsyncSession, key: str) -> Counter:
        counter = await session.get(Counter, key, with_for_update=True)
        if counter is None:
            counter = Counter(key=key, failures=0)
            session.add(counter)
        return counter

    async def _commit(self, session: AsyncSession) -> None:
        try:
            await session.commit()
        except IntegrityError:
            # Another replica inserted the same key first; its count stands, ours is lost,
            # which at worst lets one more guess through.
            await session.rollback()
