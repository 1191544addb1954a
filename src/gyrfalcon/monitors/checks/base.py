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
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from gyrfalcon.connectors.sql.config import DatasourceConfig

if TYPE_CHECKING:
    from gyrfalcon.monitors.schemas import Condition, HttpRequest, MonitorType


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


@dataclass(frozen=True)
class Plan:
    """Everything one run needs, loaded from the database beforehand."""

    type: MonitorType
    condition: Condition
    timeout: float
    query: str | None = None
    datasource: DatasourceConfig | None = None
    datasource_key: tuple[int, object] | None = None
    missing: str | None = None
    """Why the run cannot even start (e.g. its datasource was deleted)."""
    base_url: str | None = None
    http: HttpRequest | None = None
    secret_headers: dict[str, str] = field(default_factory=dict)


CHECKS_GROUP = "gyrfalcon.monitor_checks"
"""Entry-point group of the check types, named after ``MonitorType`` values; each entry
is a factory called with the platform's ``Settings``."""


@runtime_checkable
class Check(Protocol):
    """One check type (SQL, HTTP ...): observes a planned run within its limits."""

    async def observe(self, plan: Plan, limits: Limits) -> Observation:
        """What the run saw, or CheckError with one sentence."""
        ...

    async def aclose(self) -> None:
        """Release pools and threads when the process stops."""
        ...
