"""What a notification is about: a generic alert every template and payload is built from.

Any module raises an alert the same way: the :class:`AlertSource` (which module, which
of its objects), the service, the state it moved to, a one-line summary of what is
wrong, the facts that explain it and a link back to the console. A monitor fills the
summary with its condition and the facts with the value it read; a job backend or a
subscription will fill them with what it knows. Plain values only (no ORM rows), so
rendering is pure and the same alert can be rendered again on a later attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Event = Literal["alerting", "error", "recovered", "reminder", "test"]
Severity = Literal["critical", "warning", "info"]

SAMPLE_ROWS_SHOWN = 10
"""Rows of a query sample a message shows; the whole sample stays in the webhook body."""
_CELL_WIDTH = 40
_BODY_EXCERPT = 1000


@dataclass(frozen=True)
class AlertSource:
    """What raised the alert: a module and one of its objects."""

    module: str
    """The module's name, e.g. ``monitors``."""
    kind: str
    """The kind of object, e.g. ``monitor``: messages say "Monitor: unpaid-orders"."""
    id: int | str
    name: str


@dataclass(frozen=True)
class Fact:
    """One detail of an alert, as it reads in a message ("Value": "12")."""

    name: str
    value: str
    short: bool = False
    """Short enough for a chat message's side-by-side fields (a number, a name)."""


@dataclass(frozen=True)
class AlertContext:
    event: Event
    source: AlertSource
    service: str
    state: str
    """The state the source is in now, e.g. OK, ALERTING or ERROR."""
    previous_state: str | None
    severity: Severity
    summary: str
    """What is wrong, in words: a monitor's condition, e.g. "first cell > 0"."""
    error: str | None
    sample: dict[str, Any]
    """``{"columns", "rows", "truncated"}`` for rows, ``{"status", "body", ...}`` for an
    HTTP answer, ``{}`` when there is none."""
    runbook_url: str | None
    link: str
    """Absolute URL of the source's page in the console."""
    at: datetime
    description: str = ""
    value: float | str | None = None
    """The number (or text) the alert is about, when it has one."""
    facts: tuple[Fact, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)
    """The source's own values by name (a monitor's threshold and condition): template
    variables, and fields of the webhook event."""

    @property
    def label(self) -> str:
        """Tag of subjects and headers: ALERTING, ERROR, RECOVERED, STILL ALERTING, TEST."""
        if self.event == "reminder":
            return f"STILL {self.state}"
        return self.event.upper()

    def as_template_variables(self) -> dict[str, Any]:
        """The alert's fields by name, the source as ``object``, ``object_id``, ``kind``
        and ``module`` (and under its kind's own name: ``monitor``, ``monitor_id``), the
        source's values, ``label``, and ``sample_text``: the sample as a plain-text
        block, so a custom template can show it without looping over rows itself."""
        source = self.source
        return {
            "event": self.event,
            "service": self.service,
            "state": self.state,
            "previous_state": self.previous_state,
            "severity": self.severity,
            "summary": self.summary,
            "error": self.error,
            "sample": self.sample,
            "runbook_url": self.runbook_url,
            "link": self.link,
            "at": self.at,
            "description": self.description,
            "value": self.value,
            "facts": self.facts,
            "module": source.module,
            "kind": source.kind,
            "object": source.name,
            "object_id": source.id,
            source.kind: source.name,
            f"{source.kind}_id": source.id,
            **self.values,
            "label": self.label,
            "sample_text": sample_text(self.sample),
        }

    @classmethod
    def sample_for_test(cls, channel_name: str, link_base: str) -> AlertContext:
        """A realistic alert for a channel's "send test": what a real one will look like."""
        return cls(
            event="test",
            source=AlertSource(module="monitors", kind="monitor", id=0, name="unpaid-orders"),
            service="orders",
            state="ALERTING",
            previous_state="OK",
            severity="warning",
            summary="first cell > 0",
            value=12,
            facts=(
                Fact("Condition", "first cell > 0"),
                Fact("Value", "12", short=True),
                Fact("Threshold", "0", short=True),
            ),
            values={"threshold": 0, "condition": "first cell > 0"},
            error=None,
            sample={
                "columns": ["order_id", "customer", "total", "created_at"],
                "rows": [
                    [10482, "acme-gmbh", 129.9, "2024-05-02T08:14:03Z"],
                    [10491, "globex", 42.0, "2024-05-02T08:31:47Z"],
                    [10503, "initech", 310.5, "2024-05-02T09:02:11Z"],
                ],
                "truncated": True,
            },
            runbook_url=None,
            link=f"{link_base.rstrip('/')}/monitors",
            at=datetime.now(UTC).replace(microsecond=0),
            description=f"Test message sent from channel '{channel_name}' to show what an "
            "alert looks like. No action is needed.",
        )


def display(value: Any) -> str:
    """How a value reads in a message: whole floats without ".0", times in UTC, no "None"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(value)


def _cell(value: Any) -> str:
    text = "NULL" if value is None else display(value)
    text = " ".join(text.split())  # a newline inside a cell would break the table
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"


def sample_table(sample: dict[str, Any]) -> tuple[list[str], list[list[str]], bool]:
    """Column names, the shown rows as text cells, and whether rows were left out."""
    columns = [_cell(name) for name in sample.get("columns") or []]
    rows = sample.get("rows") or []
    shown = [[_cell(value) for value in row] for row in rows[:SAMPLE_ROWS_SHOWN]]
    more = bool(sample.get("truncated")) or len(rows) > SAMPLE_ROWS_SHOWN
    return columns, shown, more


def sample_text(sample: dict[str, Any], *, max_rows: int = SAMPLE_ROWS_SHOWN) -> str:
    """The sample as monospaced text: an aligned table, or the HTTP status and body."""
    if "columns" in sample:
        columns, rows, more = sample_table(sample)
        rows = rows[:max_rows]
        more = more or max_rows < len(sample.get("rows") or [])
        widths = [len(name) for name in columns]
        for row in rows:
            widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=False)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip()
            for line in [columns, ["-" * width for width in widths], *rows]
        ]
        if more:
            lines.append("… more rows not shown")
        return "\n".join(lines)
    if "status" in sample:
        body = str(sample.get("body") or "")[:_BODY_EXCERPT]
        return f"HTTP {sample['status']}" + (f"\n{body}" if body else "")
    return ""
