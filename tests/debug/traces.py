"""Spans in the trace format, written short for the tests."""

from __future__ import annotations

from typing import Any


def span(
    name: str, start: float, duration: float, *children: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """A span named ``name`` from ``start`` for ``duration`` ms, internal and ok unless
    ``kind`` or ``status`` say otherwise, with ``children`` when given."""
    made = {
        "name": name,
        "kind": extra.pop("kind", "internal"),
        "start_ms": start,
        "duration_ms": duration,
        "status": extra.pop("status", "ok"),
        **extra,
    }
    if children:
        made["children"] = list(children)
    return made
