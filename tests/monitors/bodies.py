"""Request bodies shared by the monitor tests."""

from __future__ import annotations

from typing import Any

MONITORS = "/api/v1/monitors"


def unpaid_monitor(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service": "shop",
        "name": "unpaid-orders",
        "description": "Orders nobody paid for",
        "type": "sql",
        "datasource": "main",
        "query": "SELECT count(*) AS unpaid FROM orders WHERE status = 'unpaid'",
        "schedule": {"every_seconds": 60},
        "severity": "critical",
        "condition": {"value": "first_cell", "operator": ">", "threshold": 0},
    }
    body.update(changes)
    return body
