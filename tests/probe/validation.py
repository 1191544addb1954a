"""Every trace the probe tests see is checked against the published schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jsonschema import Draft202012Validator

from gyrfalcon.probe import SCHEMA

VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def valid_trace(document: Any) -> dict[str, Any]:
    """``document`` when it is a valid trace (a failed assertion lists every violation)."""
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in VALIDATOR.iter_errors(document)
    ]
    assert errors == [], errors
    if "started_at" in document:
        # jsonschema checks date-time only with rfc3339-validator installed: check here too.
        started = dt.datetime.fromisoformat(document["started_at"])
        assert started.utcoffset() == dt.timedelta(0)
    return dict(document)


def all_spans(trace: dict[str, Any]) -> list[dict[str, Any]]:
    """Every span of the trace, depth first."""
    found = []
    pending = list(reversed(trace["spans"]))
    while pending:
        span = pending.pop()
        found.append(span)
        pending.extend(reversed(span.get("children", [])))
    return found


def by_name(trace: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {span["name"]: span for span in all_spans(trace)}
