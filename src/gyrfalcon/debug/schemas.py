"""The debug module's request and response models."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from gyrfalcon.debug.limits import MAX_NESTING, MAX_PARAMETER_BYTES, json_depth

SpanKind = Literal["internal", "db", "http", "rpc", "cache", "queue", "storage", "search", "other"]
SpanStatus = Literal["ok", "error", "timeout", "skipped"]
AttributeValue = str | float | int | bool | None


class Outcome(StrEnum):
    TRACE = "trace"
    """The answer was a trace (the platform's format, or OTLP/JSON converted)."""
    JSON = "json"
    """JSON that is not a trace: shown as it is."""
    INVALID_TRACE = "invalid_trace"
    """It meant to be a trace but breaks the format at ``invalid_at``."""
    NOT_JSON = "not_json"
    CALL_FAILED = "call_failed"
    """No answer: refused, timed out, left the base URL, too large."""


class RunRequest(BaseModel):
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Values for the endpoint's parameters (its JSON Schema)"
    )

    @field_validator("parameters")
    @classmethod
    def _bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        if json_depth(value) > MAX_NESTING:
            raise ValueError(f"the parameters are nested more than {MAX_NESTING} deep")
        if len(json.dumps(value)) > MAX_PARAMETER_BYTES:
            raise ValueError(f"the parameters are larger than {MAX_PARAMETER_BYTES} bytes as JSON")
        return value


class SpanRead(BaseModel):
    id: str = Field(description="Its place in the tree: '0', '0.2', '0.2.1'")
    name: str
    kind: SpanKind
    target: str | None = None
    start_ms: float = Field(description="Offset from the start of the trace")
    duration_ms: float
    self_ms: float = Field(description="Its time not spent in its children")
    status: SpanStatus
    error: str | None = None
    attributes: dict[str, AttributeValue] = {}
    critical: bool = Field(
        default=False, description="On the critical path: what the request's end waited for"
    )
    slowest: bool = Field(
        default=False, description="Among the spans whose own time weighs most in the trace"
    )
    children: list[SpanRead] = []


class TraceRead(BaseModel):
    source_format: Literal["gyrfalcon", "otlp"]
    service: str | None = None
    endpoint: str | None = None
    started_at: datetime | None = None
    duration_ms: float = Field(description="The trace's own total, or where its last span ends")
    status: SpanStatus
    error: str | None = None
    result: Any = None
    attributes: dict[str, AttributeValue] = {}
    span_count: int
    failed_spans: int = Field(description="Spans that ended in error or timeout")
    spans: list[SpanRead]


class RunSummary(BaseModel):
    id: int
    service: str
    endpoint_id: int
    endpoint: str = Field(description="The endpoint's name")
    actor: str
    started_at: datetime
    method: str
    path: str
    duration_ms: float = Field(description="The call as the platform timed it")
    http_status: int | None
    outcome: Outcome
    failed: bool
    message: str = Field(description="What happened, in a sentence")
    span_count: int
    failed_spans: int


class RunRead(RunSummary):
    parameters: dict[str, Any]
    trace: TraceRead | None
    body: str | None = Field(description="The answer as received, cut at the size limit")
    body_truncated: bool
    content_type: str | None
    invalid_at: str | None = Field(description="Where an invalid trace breaks the format")


class RunPage(BaseModel):
    items: list[RunSummary]
    next_cursor: str | None = Field(description="Pass as `before` for the next, older page")


class SpanSide(BaseModel):
    id: str
    duration_ms: float
    status: SpanStatus
    error: str | None = None


Change = Literal[
    "slower", "faster", "same", "newly_failed", "recovered", "still_failing", "added", "removed"
]


class SpanDelta(BaseModel):
    key: str = Field(
        description="What matches the span across runs: a digest of its names from the root"
    )
    name: str
    kind: SpanKind
    depth: int
    base: SpanSide | None
    other: SpanSide | None
    delta_ms: float | None
    change: Change


class RunComparison(BaseModel):
    base: RunSummary
    other: RunSummary
    duration_delta_ms: float
    counts: dict[Change, int] = Field(description="How many spans changed each way")
    spans: list[SpanDelta] = Field(description="The spans of both, in tree order")


class EndpointStatus(BaseModel):
    """A debug endpoint with its last run, for the overview and the home page."""

    id: int
    service: str
    name: str
    description: str
    method: str
    path: str
    last_run: RunSummary | None
