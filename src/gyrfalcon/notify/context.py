"""What a notification is about: the variables every template and payload is built from.

The monitors feature fills one :class:`AlertContext` per event; the renderer turns it
into an email, a Slack message or a webhook body. Plain values only (no ORM rows), so
rendering is pure and the same context can be rendered again on a later attempt.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

Event = Literal["alerting", "error", "recovered", "reminder", "test"]
Severity = Literal["critical", "warning", "info"]

SAMPLE_ROWS_SHOWN = 10
"""Rows of a query sample a message shows; the whole sample stays in the webhook body."""
_CELL_WIDTH = 40
_BODY_EXCERPT = 1000


@dataclass(frozen=True)
class AlertContext:
    event: Event
    monitor: str
    monitor_id: int
    service: str
    state: str
    """OK, ALERTING or ERROR (the state the monitor is in now)."""
    previous_state: str | None
    severity: Severity
    value: float | str | None
    threshold: float | None
    condition: str
    """The condition in words, e.g. "first cell > 0"."""
    error: str | None
    sample: dict[str, Any]
    """``{"columns", "rows", "truncated"}`` for a query, ``{"status", "body", ...}`` for
    an HTTP check, ``{}`` when the run produced none."""
    runbook_url: str | None
    link: str
    """Absolute URL of the monitor's page in the console."""
    at: datetime
    description: str = ""

    @property
    def label(self) -> str:
        """Tag of subjects and headers: ALERTING, ERROR, RECOVERED, STILL ALERTING, TEST."""
        if self.event == "reminder":
            return f"STILL {self.state}"
        return self.event.upper()

    def as_template_variables(self) -> dict[str, Any]:
        """Every field by name, ``label``, and ``sample_text``: the sample as a plain-text
        block, so a custom template can show it without looping over rows itself."""
        variables = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {**variables, "label": self.label, "sample_text": sample_text(self.sample)}

    @classmethod
    def sample_for_test(cls, channel_name: str, link_base: str) -> AlertContext:
        """A realistic alert for a channel's "send test": what a real one will look like."""
        return cls(
            event="test",
            monitor="unpaid-orders",
            monitor_id=0,
            service="orders",
            state="ALERTING",
            previous_state="OK",
            severity="warning",
            value=12,
            threshold=0,
            condition="first cell > 0",
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
