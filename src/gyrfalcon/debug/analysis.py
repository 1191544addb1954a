"""What a trace says at a glance: each span's own time, the critical path, the slowest
hops and the failures; and how two runs of an endpoint differ.

The critical path is the chain the request's end waited for, found the way Jaeger finds
it: from the end of a span, the child that finished last before that point is on it,
then the one that finished last before that child started, and so on, each child's own
children walked the same way. Spans that overlap a critical sibling ran concurrently
and did not hold the request up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from gyrfalcon.debug.schemas import (
    Change,
    RunComparison,
    RunSummary,
    SpanDelta,
    SpanRead,
    SpanSide,
    TraceRead,
)

SLOWEST_COUNT = 3
SLOWEST_SHARE = 0.10
"""A span is among the slowest only when its own time is at least this share of the
trace: in a trace where nothing stands out, nothing is marked."""
CHANGE_MIN_MS = 2.0
CHANGE_SHARE = 0.20
"""A span got slower (or faster) only by at least this share of its time and
:data:`CHANGE_MIN_MS`: timing noise is not a change."""
_FAILING = frozenset({"error", "timeout"})
_EPSILON_MS = 1e-6


def _self_ms(span: dict[str, Any]) -> float:
    """The span's time minus the union of its children's, clipped to the span."""
    start = span["start_ms"]
    end = start + span["duration_ms"]
    covered = 0.0
    reach = start
    for child in sorted(span.get("children", ()), key=lambda item: item["start_ms"]):
        child_start = max(child["start_ms"], reach)
        child_end = min(child["start_ms"] + child["duration_ms"], end)
        if child_end > child_start:
            covered += child_end - child_start
            reach = child_end
    return max(float(span["duration_ms"]) - covered, 0.0)


def _read(span: dict[str, Any], span_id: str) -> SpanRead:
    children = sorted(span.get("children", ()), key=lambda item: item["start_ms"])
    return SpanRead(
        id=span_id,
        name=span["name"],
        kind=span["kind"],
        target=span.get("target"),
        start_ms=span["start_ms"],
        duration_ms=span["duration_ms"],
        self_ms=_self_ms(span),
        status=span["status"],
        error=span.get("error"),
        attributes=span.get("attributes", {}),
        children=[_read(child, f"{span_id}.{index}") for index, child in enumerate(children)],
    )


def walk(spans: list[SpanRead]) -> Iterator[SpanRead]:
    """Every span, parents before children, in start order (iteratively: traces are deep)."""
    stack = list(reversed(spans))
    while stack:
        span = stack.pop()
        yield span
        stack.extend(reversed(span.children))


def _end(span: SpanRead) -> float:
    return span.start_ms + span.duration_ms


def _mark_critical(spans: list[SpanRead], end: float) -> None:
    pending = [(spans, end)]
    while pending:
        siblings, cursor = pending.pop()
        cursor = max([cursor, *(_end(span) for span in siblings)])
        for span in sorted(siblings, key=_end, reverse=True):
            if _end(span) > cursor + _EPSILON_MS:
                continue  # it overlaps a critical sibling: it ran alongside, not before
            span.critical = True
            pending.append((span.children, _end(span)))
            cursor = span.start_ms


def _mark_slowest(spans: list[SpanRead], total_ms: float) -> None:
    floor = total_ms * SLOWEST_SHARE
    heavy = sorted(
        (span for span in walk(spans) if span.self_ms > 0 and span.self_ms >= floor),
        key=lambda span: span.self_ms,
        reverse=True,
    )
    for span in heavy[:SLOWEST_COUNT]:
        span.slowest = True


def _worst(statuses: Iterator[str]) -> str:
    seen = set(statuses)
    for status in ("error", "timeout"):
        if status in seen:
            return status
    return "ok"


def trace_read(trace: dict[str, Any], source_format: str) -> TraceRead:
    """The stored ``trace`` with each span's own time, the critical path and the slowest."""
    spans = sorted(trace.get("spans", ()), key=lambda item: item["start_ms"])
    roots = [_read(span, str(index)) for index, span in enumerate(spans)]
    every = list(walk(roots))
    last_end = max((_end(span) for span in every), default=0.0)
    total = max(float(trace.get("duration_ms", 0.0)), last_end)
    _mark_critical(roots, total)
    _mark_slowest(roots, total)
    failed = sum(1 for span in every if span.status in _FAILING)
    status = trace.get("status") or (
        "error" if trace.get("error") else _worst(span.status for span in every)
    )
    return TraceRead(
        source_format="otlp" if source_format == "otlp" else "gyrfalcon",
        service=trace.get("service"),
        endpoint=trace.get("endpoint"),
        started_at=trace.get("started_at"),
        duration_ms=total,
        status=status,
        error=trace.get("error"),
        result=trace.get("result"),
        attributes=trace.get("attributes", {}),
        span_count=len(every),
        failed_spans=failed,
        spans=roots,
    )


def counts(trace: dict[str, Any]) -> tuple[int, int, bool]:
    """Spans, failed spans and whether the trace as a whole failed."""
    read = trace_read(trace, "gyrfalcon")
    return read.span_count, read.failed_spans, read.status in _FAILING


# --- comparing two runs -----------------------------------------------------------------


def _keyed(spans: list[SpanRead], parent: str = "") -> dict[str, SpanRead]:
    """``spans`` by their key: a digest of the names from the root ('#2' on a repeated
    sibling name), short whatever the depth and the names' lengths."""
    keyed: dict[str, SpanRead] = {}
    seen: dict[str, int] = {}
    for span in spans:
        seen[span.name] = seen.get(span.name, 0) + 1
        path = f"{parent}\x00{span.name}#{seen[span.name]}"
        keyed[hashlib.blake2b(path.encode(), digest_size=8).hexdigest()] = span
    return keyed


def _change(base: SpanRead | None, other: SpanRead | None) -> tuple[Change, float | None]:
    if base is None:
        return "added", None
    if other is None:
        return "removed", None
    delta = other.duration_ms - base.duration_ms
    was, now = base.status in _FAILING, other.status in _FAILING
    if was or now:
        return ("still_failing" if was and now else "newly_failed" if now else "recovered"), delta
    threshold = max(CHANGE_MIN_MS, base.duration_ms * CHANGE_SHARE)
    if delta >= threshold:
        return "slower", delta
    if -delta >= threshold:
        return "faster", delta
    return "same", delta


def _side(span: SpanRead | None) -> SpanSide | None:
    if span is None:
        return None
    return SpanSide(id=span.id, duration_ms=span.duration_ms, status=span.status, error=span.error)


def _deltas(
    base: list[SpanRead], other: list[SpanRead], parent: str = "", depth: int = 0
) -> Iterator[SpanDelta]:
    """Both runs' spans matched by key, in tree order (recursion: traces are at most
    ``traceformat.MAX_DEPTH`` deep)."""
    base_keyed, other_keyed = _keyed(base, parent), _keyed(other, parent)
    for key in [*base_keyed, *(key for key in other_keyed if key not in base_keyed)]:
        before, after = base_keyed.get(key), other_keyed.get(key)
        either = after or before
        assert either is not None
        change, delta = _change(before, after)
        yield SpanDelta(
            key=key,
            name=either.name,
            kind=either.kind,
            depth=depth,
            base=_side(before),
            other=_side(after),
            delta_ms=delta,
            change=change,
        )
        yield from _deltas(
            before.children if before else [],
            after.children if after else [],
            key,
            depth + 1,
        )


def compare(
    base: RunSummary,
    base_trace: TraceRead | None,
    other: RunSummary,
    other_trace: TraceRead | None,
) -> RunComparison:
    """How ``other`` differs from ``base``: each span slower, faster, newly failed ..."""
    spans = list(
        _deltas(base_trace.spans if base_trace else [], other_trace.spans if other_trace else [])
    )
    tally: dict[Change, int] = {}
    for row in spans:
        tally[row.change] = tally.get(row.change, 0) + 1
    return RunComparison(
        base=base,
        other=other,
        duration_delta_ms=other.duration_ms - base.duration_ms,
        counts=tally,
        spans=spans,
    )
