"""Limits failed logins per username and per client address, to slow password guessing.

A sliding window in this process's memory: each replica and each ``serve --workers``
process counts on its own, so the effective limit is the configured one times the
number of processes. That still turns an online guessing attack from thousands of
tries a second into a handful a minute, without a shared store.

Only wrong credentials count. A success clears the username's failures (the owner
got in) but not the address's, so an attacker cannot reset their address budget by
logging into an account of their own between guesses.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.settings import Settings

_SWEEP_THRESHOLD = 10_000


class TooManyLoginAttempts(ProblemError):
    status = 429
    title = "Too many login attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed logins; try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class _Window:
    """Failure times per key within the last ``seconds``."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.seconds:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def retry_after(self, key: str, now: float) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        times = self._recent(key, now)
        if times is None or len(times) < self.limit:
            return 0.0
        return times[-self.limit] + self.seconds - now

    def add(self, key: str, now: float) -> None:
        if len(self._failures) >= _SWEEP_THRESHOLD:
            # Keeps memory bounded under a spray of distinct usernames or addresses.
            for stale in list(self._failures):
                self._recent(stale, now)
        self._failures.setdefault(key, deque()).append(now)

    def clear(self, key: str) -> None:
        self._failures.pop(key, None)


class FailedLoginLimiter:
    def __init__(
        self,
        *,
        max_per_user: int,
        max_per_address: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._users = _Window(max_per_user, window_seconds)
        self._addresses = _Window(max_per_address, window_seconds)
        self._clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> FailedLoginLimiter:
        return cls(
            max_per_user=settings.login_max_failures_per_user,
            max_per_address=settings.login_max_failures_per_address,
            window_seconds=settings.login_failure_window_seconds,
        )

    @staticmethod
    def _user_key(username: str) -> str:
        # Directories match names without regard to case: "Alice" and "alice" share a budget.
        return username.casefold()

    def check(self, username: str, address: str | None) -> None:
        """Raises ``TooManyLoginAttempts`` if either the username or the address is over
        its limit; called before the password is looked at."""
        now = self._clock()
        wait = self._users.retry_after(self._user_key(username), now)
        if address is not None:
            wait = max(wait, self._addresses.retry_after(address, now))
        if wait > 0:
            raise TooManyLoginAttempts(max(1, math.ceil(wait)))

    def record_failure(self, username: str, address: str | None) -> None:
        now = self._clock()
        self._users.add(self._user_key(username), now)
        if address is not None:
            self._addresses.add(address, now)

    def record_success(self, username: str) -> None:
        self._users.clear(self._user_key(username))
