"""What a monitor's check hands to the condition: the observation of one run.

A check (SQL or HTTP) talks to a watched system once, within a hard time
limit, and either returns an :class:`Observation` or raises :class:`CheckError`
with one sentence an engineer can act on ("timed out after 5 s", "relation
"orders" does not exist", "HTTP 503 from /health"). The condition then picks
its value from the observation; the sample is what the run history shows, so
an engineer sees *which* records are dirty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class CheckError(Exception):
    """The check itself failed; the monitor goes to ERROR with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """Caps every check honours, so a monitor cannot hurt the system it watches or us."""

    timeout: float
    """Hard limit in seconds for the whole check, enforced on the server where possible."""
    max_rows: int = 10_000
    """Rows read at most; row counts above it are reported as capped."""
    sample_rows: int = 20
    """Rows kept in the stored sample."""
    sample_bytes: int = 64 * 1024
    """Size of the stored sample (JSON) at most; rows past it are dropped."""
    max_response_bytes: int = 1024 * 1024
    """HTTP checks: body read at most."""


@dataclass
class Observation:
    """What one run saw.

    SQL: ``columns`` and ``rows`` (JSON-safe values, at most ``max_rows`` rows read,
    ``row_count`` of them, ``rows_capped`` when more existed); ``sample`` keeps the
    first ``sample_rows`` within ``sample_bytes``.
    HTTP: ``status_code``, ``json`` (the parsed body, or None when it is not JSON),
    and a sample with the status and a body excerpt.
    """

    columns: list[str] = field(default_factory=list)
    first_row: list[Any] | None = None
    row_count: int = 0
    rows_capped: bool = False
    status_code: int | None = None
    json: Any = None
    body_is_json: bool = False
    sample: dict[str, Any] = field(default_factory=dict)
    """JSON-safe; SQL: {"columns": [...], "rows": [[...]], "truncated": bool};
    HTTP: {"status": int, "content_type": str, "body": str (excerpt), "truncated": bool}."""
