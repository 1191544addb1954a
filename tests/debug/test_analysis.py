"""A trace at a glance (own times, the critical path, the slowest spans) and two runs
compared span by span."""

from __future__ import annotations

from datetime import UTC, datetime

from gyrfalcon.debug import analysis
from gyrfalcon.debug.schemas import Outcome, RunSummary, SpanRead
from gyrfalcon.probe import FORMAT
from tests.debug.traces import span as _span


def _flat(spans: list[SpanRead]) -> dict[str, SpanRead]:
    return {span.name: span for span in analysis.walk(spans)}


CHECKOUT = {
    "format": FORMAT,
    "duration_ms": 100,
    "spans": [
        _span(
            "checkout",
            0,
            100,
            _span("auth", 0, 5, kind="http"),
            # These two ran concurrently: the database is what the request waited for.
            _span("orders-db", 5, 80, _span("pool", 5, 2), kind="db"),
            _span("session-cache", 6, 8, kind="cache"),
            _span("render", 85, 15),
        )
    ],
}


def test_own_time_is_what_the_children_do_not_cover() -> None:
    spans = _flat(analysis.trace_read(CHECKOUT, "gyrfalcon").spans)
    assert spans["checkout"].self_ms == 0  # auth, db and render cover 0..100
    assert spans["orders-db"].self_ms == 78


def test_the_critical_path_follows_what_the_end_waited_for() -> None:
    spans = _flat(analysis.trace_read(CHECKOUT, "gyrfalcon").spans)
    critical = {name for name, span in spans.items() if span.critical}
    assert critical == {"checkout", "render", "orders-db", "pool", "auth"}


def test_the_slowest_are_the_spans_with_the_most_own_time() -> None:
    read = analysis.trace_read(CHECKOUT, "gyrfalcon")
    spans = _flat(read.spans)
    assert {name for name, span in spans.items() if span.slowest} == {"orders-db", "render"}
    assert read.span_count == 6


def test_the_worst_status_of_the_spans_is_the_trace_status_unless_it_says_its_own() -> None:
    failing = {**CHECKOUT, "spans": [_span("db", 0, 1, status="timeout"), _span("x", 1, 1)]}
    read = analysis.trace_read(failing, "gyrfalcon")
    assert (read.status, read.failed_spans) == ("timeout", 1)
    assert analysis.trace_read({**failing, "status": "ok"}, "gyrfalcon").status == "ok"
    assert analysis.trace_read({**failing, "error": "boom"}, "gyrfalcon").status == "error"


def test_spans_get_ids_by_their_place_in_the_tree_in_start_order() -> None:
    read = analysis.trace_read(
        {"format": FORMAT, "spans": [_span("b", 5, 1), _span("a", 0, 1, _span("c", 0, 1))]},
        "gyrfalcon",
    )
    assert [(span.id, span.name) for span in analysis.walk(read.spans)] == [
        ("0", "a"),
        ("0.0", "c"),
        ("1", "b"),
    ]


def _summary(run_id: int, duration: float) -> RunSummary:
    return RunSummary(
        id=run_id,
        service="orders",
        endpoint_id=1,
        endpoint="checkout",
        actor="ana",
        started_at=datetime(2026, 12, 8, tzinfo=UTC),
        method="GET",
        path="/debug/checkout",
        duration_ms=duration,
        http_status=200,
        outcome=Outcome.TRACE,
        failed=False,
        message="",
        span_count=0,
        failed_spans=0,
    )


def test_two_runs_compare_span_by_span() -> None:
    before = {
        "format": FORMAT,
        "spans": [
            _span(
                "checkout",
                0,
                40,
                _span("orders-db", 0, 10, kind="db"),
                _span("inventory", 10, 20, kind="http"),
                _span("retry", 30, 1),
                _span("retry", 31, 1),
                _span("legacy", 32, 1),
            )
        ],
    }
    after = {
        "format": FORMAT,
        "spans": [
            _span(
                "checkout",
                0,
                400,
                _span("orders-db", 0, 300, kind="db"),
                _span("inventory", 300, 20, kind="http", status="error", error="HTTP 503"),
                _span("retry", 320, 1),
                _span("retry", 321, 1),
                _span("fraud-check", 322, 5),
            )
        ],
    }
    comparison = analysis.compare(
        _summary(1, 45),
        analysis.trace_read(before, "gyrfalcon"),
        _summary(2, 410),
        analysis.trace_read(after, "gyrfalcon"),
    )
    assert [(row.name, row.depth, row.change) for row in comparison.spans] == [
        ("checkout", 0, "slower"),
        ("orders-db", 1, "slower"),
        ("inventory", 1, "newly_failed"),
        ("retry", 1, "same"),
        ("retry", 1, "same"),
        ("legacy", 1, "removed"),
        ("fraud-check", 1, "added"),
    ]
    assert len({row.key for row in comparison.spans}) == len(comparison.spans)
    assert comparison.counts["slower"] == 2
    assert comparison.duration_delta_ms == 365
    database = comparison.spans[1]
    assert database.delta_ms == 290 and database.base is not None and database.base.id == "0.0"


def test_comparison_keys_stay_short_however_deep_and_long_the_names() -> None:
    span = _span("x" * 200, 0, 1)
    for depth in range(99):
        span = _span("y" * 200 + str(depth), 0, 1, span)
    trace = analysis.trace_read({"format": FORMAT, "spans": [span]}, "gyrfalcon")
    comparison = analysis.compare(_summary(1, 1), trace, _summary(2, 1), trace)
    assert len(comparison.spans) == 100
    assert {len(row.key) for row in comparison.spans} == {16}
