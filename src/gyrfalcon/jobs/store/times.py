"""The ways job systems write a time, read back as UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from gyrfalcon.jobs.store import payloads

_JS_DATE = re.compile(r"^\w{3} (\w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-])(\d{2})(\d{2})")
_FORMATS = ("%Y/%m/%d %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S %z", "%Y/%m/%d %H:%M:%S %z")


def any_time(value: Any) -> datetime | None:
    """Epoch seconds, ISO 8601, Ruby's ``Time#to_s`` and Resque's ``failed_at``, or a
    JavaScript ``Date#toString()`` (node-resque); None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return payloads.from_seconds(value)
    if not isinstance(value, str) or not value:
        return None
    if value.replace(".", "", 1).isdigit():
        return payloads.from_seconds(value)
    if parsed := payloads.from_iso(value):
        return _utc(parsed)
    try:
        return _written(value)
    except (ValueError, OverflowError):
        # A date that cannot be (the 31st of February, an offset of 99 hours, a year
        # past 9999 once in UTC): as unknown as any other text.
        return None


def _written(value: str) -> datetime | None:
    if match := _JS_DATE.match(value):
        local, sign, hours, minutes = match.groups()
        offset = timedelta(hours=int(hours), minutes=int(minutes)) * (1 if sign == "+" else -1)
        naive = datetime.strptime(local, "%b %d %Y %H:%M:%S")
        return _utc(naive.replace(tzinfo=timezone(offset)))
    for layout in _FORMATS:
        try:
            parsed = datetime.strptime(value, layout)
        except ValueError:
            continue
        return _utc(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))
    return None


def _utc(moment: datetime) -> datetime | None:
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None
