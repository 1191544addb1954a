"""When a monitor runs: fixed intervals with a per-monitor phase, or cron in a time zone.

Interval slots are ``phase + k * every`` on the UTC time line, with a phase
derived from the monitor id. Two thousand monitors created in the same second
therefore spread over their interval instead of hitting the databases at the
same instant, and a slot never depends on when a process happened to start.
After downtime the next slot is simply the first one after now: missed slots
are skipped, never replayed in a burst.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_CRON_FIELDS = 5
# Knuth's multiplicative hash spreads consecutive ids over the interval.
_SPREAD = 2654435761


def validate_cron(expression: str) -> None:
    """Raise ValueError with the reason when ``expression`` is not a 5-field cron line."""
    if len(expression.split()) != _CRON_FIELDS:
        raise ValueError("a cron expression has 5 fields: minute hour day-of-month month weekday")
    try:
        CronSim(expression, datetime.now(UTC))
    except CronSimError as exc:
        raise ValueError(f"invalid cron expression: {exc}") from exc


def _phase_ms(monitor_id: int, every_seconds: int) -> int:
    return (monitor_id * _SPREAD) % (every_seconds * 1000)


def next_run_after(schedule: dict[str, Any], *, monitor_id: int, after: datetime) -> datetime:
    """The first slot strictly after ``after`` (UTC)."""
    every = schedule.get("every_seconds")
    if every:
        # Whole milliseconds keep slot times exact, however far from the epoch.
        phase = timedelta(milliseconds=_phase_ms(monitor_id, every))
        period = timedelta(seconds=every)
        slots = (after - _EPOCH - phase) // period + 1
        return _EPOCH + phase + slots * period
    zone = ZoneInfo(schedule.get("timezone") or "UTC")
    local = next(iter(CronSim(schedule["cron"], after.astimezone(zone))))
    return local.astimezone(UTC)


def upcoming(
    schedule: dict[str, Any], *, monitor_id: int, after: datetime, count: int
) -> list[datetime]:
    """The next ``count`` slots, for the editor's schedule helper."""
    runs: list[datetime] = []
    moment = after
    for _ in range(count):
        moment = next_run_after(schedule, monitor_id=monitor_id, after=moment)
        runs.append(moment)
    return runs
