"""Rendering in the test's own thread: these tests check wording, not the worker."""

from __future__ import annotations

from typing import Any

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.notify.context import AlertContext, AlertSource, Fact, display
from gyrfalcon.notify.templates import render


def render_payload(
    channel: ConnectionConfig, context: AlertContext, *, extra_recipients: list[str]
) -> dict[str, Any]:
    return render(channel, context, extra_recipients=extra_recipients).payload


def monitor_alert(
    *,
    monitor: str,
    monitor_id: int,
    value: float | str | None,
    threshold: float | None,
    condition: str,
    **fields: Any,
) -> AlertContext:
    """A monitor's alert, from the fields a monitor gives it (as ``monitors.recording``
    builds one): the condition is the summary, value and threshold are facts."""
    facts = [Fact("Condition", condition)]
    facts += [
        Fact(name, display(shown), short=True)
        for name, shown in (("Value", value), ("Threshold", threshold))
        if shown is not None
    ]
    return AlertContext(
        source=AlertSource(module="monitors", kind="monitor", id=monitor_id, name=monitor),
        summary=condition,
        value=value,
        facts=tuple(facts),
        values={"threshold": threshold, "condition": condition},
        **fields,
    )
