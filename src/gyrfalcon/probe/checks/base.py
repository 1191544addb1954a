"""What a check is: one named call to a dependency, with its own time limit."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from gyrfalcon.probe.vocabulary import Kind, check_kind

DEFAULT_TIMEOUT: Final = 2.0
"""Seconds. Short, because the platform waits for the slowest check of the endpoint."""


@dataclass(frozen=True)
class Check:
    """A call for ``gather``/``run_checks`` to run beside others, in a span of its own.

    ``call`` takes no arguments, ``def`` or ``async def``; its return value is kept in the
    result. To fail with a message of its own it raises ``CheckFailed("HTTP 503")``, to
    say it could not run ``CheckSkipped("why")``; it may set attributes on
    ``current_span()``. ``timeout`` is in seconds.
    """

    name: str
    call: Callable[[], Any]
    kind: Kind = "other"
    target: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    attributes: dict[str, Any] = field(default_factory=dict)
    """Set on the check's span when it starts (the SQL, the key), before the call runs."""

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a check needs a name")
        check_kind(self.kind)
        if not (self.timeout > 0 and math.isfinite(self.timeout)):
            raise ValueError(f"check {self.name!r}: the timeout must be a positive number")
