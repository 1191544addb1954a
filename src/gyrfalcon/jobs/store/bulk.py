"""What every adapter's bulk action shares: one time budget, and the work done kept
when it stops partway.

A bulk action moves jobs a window at a time; when Redis fails or the budget runs out
after some have moved, the answer must still say what was done, so the jobs service
can audit it (an exception would lose the count of jobs already retried or deleted).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import RedisError

from gyrfalcon.jobs.backends.base import JobsError
from gyrfalcon.jobs.schemas import Action, BulkResult, MatchCount

AUDITED_IDS = 100


class Budget:
    """The time one bulk action may take, counted from its start."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    @property
    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def spent(self, result: BulkResult) -> bool:
        """Whether the time is up; if so ``result`` says it stopped for that."""
        if self.left > 0:
            return False
        stop(result, f"the time budget ran out after {result.done} jobs; run it again")
        return True


def started(action: Action, counted: MatchCount, expected: int) -> BulkResult:
    """An empty result, once ``counted`` shows no more jobs match than were confirmed."""
    if counted.count > expected:
        raise JobsError(
            f"{counted.count} jobs match now, more than the {expected} you confirmed; "
            "look at them again before acting."
        )
    return BulkResult(action=action, matched=0, done=0, moved=0, complete=True)


def finish(result: BulkResult, counted: MatchCount, expected: int) -> BulkResult:
    """``result``, saying so when the count did not reach the end and so more may match."""
    if result.complete and not counted.complete and result.done + result.skipped >= expected:
        stop(result, "more jobs may match than were counted in time; count again to go on")
    return result


def stop(result: BulkResult, why: str) -> None:
    result.complete = False
    result.stopped = why


def done(result: BulkResult, job_id: str) -> None:
    result.done += 1
    if len(result.job_ids) < AUDITED_IDS:
        result.job_ids.append(job_id)


@contextmanager
def kept_when_stopped(result: BulkResult) -> Iterator[None]:
    """Turn a failure after some jobs were moved into an incomplete ``result``; with none
    moved yet, the failure itself is the answer."""
    try:
        yield
    except (RedisError, OSError, TimeoutError, JobsError) as exc:
        if not result.done:
            raise
        stop(result, f"stopped after {result.done} jobs: {str(exc) or type(exc).__name__}")
