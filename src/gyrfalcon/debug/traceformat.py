"""The trace format a debug endpoint answers with, and how an answer is read.

The format is the probe SDK's (``gyrfalcon/probe/trace.schema.json``, served at
``GET /api/v1/debug/trace-schema``): the platform validates every answer that says it
is a trace against that one schema, so the SDK, the Go and Java templates and the
platform cannot drift apart. An answer is a trace when it names the format; OTLP/JSON
is converted first (``otlp.py``); any other JSON is shown as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from gyrfalcon.debug import otlp
from gyrfalcon.debug.invalid import InvalidTrace
from gyrfalcon.debug.schemas import Outcome
from gyrfalcon.probe import FORMAT, SCHEMA

MAX_DEPTH = 100
"""Nesting deeper than this is not a call chain but a loop in the service's tracing."""

_VALIDATOR = Draft202012Validator(SCHEMA)


@dataclass(frozen=True)
class Reading:
    outcome: Outcome
    trace: dict[str, Any] | None = None
    source_format: str | None = None
    invalid_at: str | None = None
    reason: str | None = None
    """Why it is not a trace: what the run's message says."""


def _depth_within(spans: list[Any]) -> None:
    # Iterative, before the schema's recursive walk would exhaust Python's stack.
    stack = [(span, f"$.spans[{index}]", 1) for index, span in enumerate(spans)]
    while stack:
        span, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidTrace(path, f"spans are nested more than {MAX_DEPTH} deep")
        children = span.get("children") if isinstance(span, dict) else None
        if isinstance(children, list):
            stack.extend(
                (child, f"{path}.children[{index}]", depth + 1)
                for index, child in enumerate(children)
            )


def validate(trace: dict[str, Any]) -> None:
    """Raise :class:`InvalidTrace` at the first place ``trace`` breaks the format."""
    spans = trace.get("spans")
    if isinstance(spans, list):
        _depth_within(spans)
    error = best_match(_VALIDATOR.iter_errors(trace))
    if error is not None:
        raise InvalidTrace(error.json_path, error.message[:500])


def read(body: bytes) -> Reading:
    """What ``body`` is: a trace (validated), other JSON, or not JSON at all."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return Reading(Outcome.NOT_JSON, reason=f"the answer is not JSON ({reason})")
    source = None
    if otlp.is_otlp(document):
        source = "otlp"
    elif isinstance(document, dict) and str(document.get("format", "")).startswith(
        "gyrfalcon.trace"
    ):
        source = "gyrfalcon"
    if source is None:
        return Reading(
            Outcome.JSON,
            reason="the answer is JSON but not a trace: it names no trace format "
            f'("format": "{FORMAT}") and is not OTLP/JSON',
        )
    try:
        trace = otlp.convert(document) if source == "otlp" else document
        validate(trace)
    except InvalidTrace as exc:
        return Reading(
            Outcome.INVALID_TRACE,
            source_format=source,
            invalid_at=exc.path,
            reason=f"the trace is invalid at {exc.path}: {exc.reason}",
        )
    return Reading(Outcome.TRACE, trace=trace, source_format=source)
