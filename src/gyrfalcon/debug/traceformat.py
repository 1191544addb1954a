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
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from gyrfalcon.debug import otlp
from gyrfalcon.debug.invalid import InvalidTrace
from gyrfalcon.debug.limits import MAX_NESTING, json_depth
from gyrfalcon.debug.schemas import Outcome
from gyrfalcon.probe import FORMAT, SCHEMA

MAX_DEPTH = 100
"""Nesting deeper than this is not a call chain but a loop in the service's tracing."""
MAX_SPANS = otlp.MAX_SPANS

_VALIDATOR = Draft202012Validator(SCHEMA)


@dataclass(frozen=True)
class Reading:
    outcome: Outcome
    trace: dict[str, Any] | None = None
    source_format: str | None = None
    invalid_at: str | None = None
    reason: str | None = None
    """Why it is not a trace: what the run's message says."""


def _within_limits(trace: dict[str, Any]) -> None:
    """The nesting and the number of spans, and the nesting of the result, checked
    iteratively before the schema's recursive walk (and the storage's serialisers) could
    exhaust the stack on them."""
    spans = trace.get("spans")
    stack = (
        [(span, f"$.spans[{index}]", 1) for index, span in enumerate(spans)]
        if isinstance(spans, list)
        else []
    )
    count = 0
    while stack:
        span, path, depth = stack.pop()
        count += 1
        if count > MAX_SPANS:
            raise InvalidTrace("$.spans", f"more than {MAX_SPANS} spans")
        if depth > MAX_DEPTH:
            raise InvalidTrace(path, f"spans are nested more than {MAX_DEPTH} deep")
        children = span.get("children") if isinstance(span, dict) else None
        if isinstance(children, list):
            stack.extend(
                (child, f"{path}.children[{index}]", depth + 1)
                for index, child in enumerate(children)
            )
    if json_depth(trace.get("result")) > MAX_NESTING:
        raise InvalidTrace("$.result", f"the result is nested more than {MAX_NESTING} deep")


def _started_at(trace: dict[str, Any]) -> None:
    started = trace.get("started_at")
    if isinstance(started, str):
        try:
            datetime.fromisoformat(started)
        except ValueError:
            raise InvalidTrace("$.started_at", "not an RFC 3339 date-time") from None


def validate(trace: dict[str, Any]) -> None:
    """Raise :class:`InvalidTrace` at the first place ``trace`` breaks the format."""
    _within_limits(trace)
    error = best_match(_VALIDATOR.iter_errors(trace))
    if error is not None:
        raise InvalidTrace(error.json_path, error.message[:500])
    _started_at(trace)


def _invalid(source: str, exc: InvalidTrace) -> Reading:
    return Reading(
        Outcome.INVALID_TRACE,
        source_format=source,
        invalid_at=exc.path,
        reason=f"the trace is invalid at {exc.path}: {exc.reason}",
    )


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def read(body: bytes) -> Reading:
    """What ``body`` is: a trace (validated), other JSON, or not JSON at all."""
    try:
        document = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        reason = (
            "nested too deeply"
            if isinstance(exc, RecursionError)
            else getattr(exc, "msg", str(exc))
        )
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
        return _invalid(source, exc)
    except (TypeError, AttributeError, ValueError, OverflowError) as exc:
        # A shape the OTLP reader did not expect (events: 5, resource: []).
        return _invalid(source, InvalidTrace("$", f"not {source} as expected: {exc}"[:500]))
    return Reading(Outcome.TRACE, trace=trace, source_format=source)
