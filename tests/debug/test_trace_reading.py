"""Reading a debug endpoint's answer: a trace of the platform's format, OTLP/JSON, other
JSON, not JSON; invalid traces named at the path where they break."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gyrfalcon.debug import traceformat
from gyrfalcon.debug.schemas import Outcome
from gyrfalcon.probe import FORMAT
from tests.debug.traces import span as _span


def _read(document: Any) -> traceformat.Reading:
    return traceformat.read(json.dumps(document).encode())


def test_a_trace_in_the_platform_format_is_read_as_it_is() -> None:
    trace = {
        "format": FORMAT,
        "service": "orders",
        "spans": [_span("orders-db", 0, 12.5, kind="db", target="pg:5432/orders")],
    }
    reading = _read(trace)
    assert reading.outcome is Outcome.TRACE
    assert reading.source_format == "gyrfalcon"
    assert reading.trace == trace


@pytest.mark.parametrize(
    ("span_change", "path"),
    [
        ({"duration_ms": -1}, "$.spans[0].children[1].duration_ms"),
        ({"status": "broken"}, "$.spans[0].children[1].status"),
        ({"kind": "database"}, "$.spans[0].children[1].kind"),
        ({"name": ""}, "$.spans[0].children[1].name"),
    ],
)
def test_an_invalid_trace_is_named_at_the_path_where_it_breaks(
    span_change: dict[str, Any], path: str
) -> None:
    broken = {**_span("orders-db", 1, 2, kind="db"), **span_change}
    trace = {
        "format": FORMAT,
        "spans": [_span("checkout", 0, 10, _span("auth", 0, 1), broken)],
    }
    reading = _read(trace)
    assert reading.outcome is Outcome.INVALID_TRACE
    assert reading.invalid_at == path
    assert reading.reason is not None and path in reading.reason


def test_a_missing_field_is_named_on_its_span() -> None:
    span = _span("orders-db", 0, 1)
    del span["start_ms"]
    reading = _read({"format": FORMAT, "spans": [span]})
    assert reading.outcome is Outcome.INVALID_TRACE
    assert reading.invalid_at == "$.spans[0]"
    assert "start_ms" in (reading.reason or "")


def test_spans_nested_beyond_the_limit_are_refused_before_the_schema_walks_them() -> None:
    span = _span("leaf", 0, 1)
    for depth in range(traceformat.MAX_DEPTH + 5):
        span = _span(f"level-{depth}", 0, 1, span)
    reading = _read({"format": FORMAT, "spans": [span]})
    assert reading.outcome is Outcome.INVALID_TRACE
    assert "nested more than" in (reading.reason or "")


def test_other_json_is_shown_as_json_with_a_note() -> None:
    reading = _read({"ok": True, "orders": 3})
    assert reading.outcome is Outcome.JSON
    assert reading.trace is None
    assert "not a trace" in (reading.reason or "")


@pytest.mark.parametrize("body", [b"<html>502 Bad Gateway</html>", b"", b"\xff\xfe"])
def test_an_answer_that_is_not_json_says_so(body: bytes) -> None:
    reading = traceformat.read(body)
    assert reading.outcome is Outcome.NOT_JSON
    assert (reading.reason or "").startswith("the answer is not JSON")


def _otlp_span(
    span_id: str, parent: str, name: str, start_ms: int, end_ms: int, **extra: Any
) -> dict[str, Any]:
    origin = 1_700_000_000_000_000_000
    return {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": span_id,
        "parentSpanId": parent,
        "name": name,
        "kind": extra.pop("kind", 1),
        "startTimeUnixNano": str(origin + start_ms * 1_000_000),
        "endTimeUnixNano": str(origin + end_ms * 1_000_000),
        **extra,
    }


def _attributes(**values: Any) -> list[dict[str, Any]]:
    def any_value(value: Any) -> dict[str, Any]:
        if isinstance(value, bool):
            return {"boolValue": value}
        if isinstance(value, int):
            return {"intValue": str(value)}
        return {"stringValue": value}

    return [{"key": key.replace("_", "."), "value": any_value(v)} for key, v in values.items()]


def _otlp(*spans: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": _attributes(service_name="orders")},
                "scopeSpans": [{"scope": {"name": "manual"}, "spans": list(spans)}],
            }
        ]
    }


def test_otlp_spans_become_a_tree_with_kinds_targets_and_failures() -> None:
    document = _otlp(
        _otlp_span(
            "b1",
            "a0",
            "SELECT orders",
            5,
            45,
            kind=3,
            attributes=_attributes(
                db_system="postgresql", server_address="pg", server_port=5432, db_namespace="shop"
            ),
        ),
        _otlp_span("a0", "", "GET /debug/checkout", 0, 100, kind=2),
        _otlp_span(
            "c2",
            "a0",
            "GET",
            50,
            90,
            kind=3,
            attributes=_attributes(
                http_request_method="GET", url_full="http://inventory:8080/stock"
            ),
            status={"code": 2, "message": "HTTP 503"},
        ),
        _otlp_span(
            "d3",
            "a0",
            "GET session",
            46,
            48,
            kind=3,
            attributes=_attributes(db_system="redis"),
            status={"code": "STATUS_CODE_ERROR"},
            events=[
                {
                    "name": "exception",
                    "attributes": _attributes(
                        exception_type="TimeoutError", exception_message="timed out"
                    ),
                }
            ],
        ),
    )
    reading = _read(document)
    assert reading.outcome is Outcome.TRACE, reading.reason
    assert reading.source_format == "otlp"
    trace = reading.trace
    assert trace is not None
    assert trace["service"] == "orders"
    assert trace["duration_ms"] == 100
    (root,) = trace["spans"]
    assert (root["name"], root["kind"], root["start_ms"]) == ("GET /debug/checkout", "internal", 0)
    by_name = {child["name"]: child for child in root["children"]}
    database = by_name["SELECT orders"]
    assert (
        database["kind"],
        database["target"],
        database["start_ms"],
        database["duration_ms"],
    ) == ("db", "pg:5432/shop", 5, 40)
    assert (by_name["GET"]["kind"], by_name["GET"]["status"]) == ("http", "error")
    assert by_name["GET"]["error"] == "HTTP 503"
    assert by_name["GET"]["target"] == "http://inventory:8080/stock"
    assert (by_name["GET session"]["kind"], by_name["GET session"]["status"]) == (
        "cache",
        "timeout",
    )
    assert by_name["GET session"]["error"] == "timed out"


def test_an_otlp_span_whose_parent_is_elsewhere_is_a_root_and_a_parent_cycle_breaks_no_loop() -> (
    None
):
    document = _otlp(
        _otlp_span("a", "remote", "handler", 0, 10),
        _otlp_span("b", "c", "one", 1, 2),
        _otlp_span("c", "b", "two", 2, 3),
    )
    reading = _read(document)
    assert reading.outcome is Outcome.TRACE
    assert reading.trace is not None
    roots = {span["name"]: span for span in reading.trace["spans"]}
    assert sorted(roots) == ["handler", "one"]  # the loop is entered at its earliest span
    assert [child["name"] for child in roots["one"]["children"]] == ["two"]


@pytest.mark.parametrize(
    ("broken", "path"),
    [
        (
            {"startTimeUnixNano": "soon"},
            "$.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano",
        ),
        ({"spanId": ""}, "$.resourceSpans[0].scopeSpans[0].spans[0].spanId"),
        ({"endTimeUnixNano": "1"}, "$.resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano"),
    ],
)
def test_invalid_otlp_is_named_at_its_path(broken: dict[str, Any], path: str) -> None:
    reading = _read(_otlp({**_otlp_span("a", "", "handler", 0, 10), **broken}))
    assert reading.outcome is Outcome.INVALID_TRACE
    assert reading.invalid_at == path


def test_a_long_chain_of_otlp_parents_is_read_in_one_pass_and_refused_for_its_depth() -> None:
    chain = [_otlp_span("s0", "", "root", 0, 100_000)]
    chain += [_otlp_span(f"s{n}", f"s{n - 1}", f"call {n}", n, 100_000) for n in range(1, 5000)]
    reading = _read(_otlp(*chain))
    assert reading.outcome is Outcome.INVALID_TRACE
    assert "nested more than 100 deep" in (reading.reason or "")


def test_more_spans_than_the_limit_are_refused() -> None:
    spans = [_span(f"call {n}", n, 1) for n in range(traceformat.MAX_SPANS + 1)]
    reading = _read({"format": FORMAT, "spans": spans})
    assert (reading.outcome, reading.invalid_at) == (Outcome.INVALID_TRACE, "$.spans")


@pytest.mark.parametrize(
    ("trace", "path"),
    [
        ({"started_at": "yesterday"}, "$.started_at"),
        ({"spans": [_span("db", 0, 10**4000)]}, "$.spans[0].duration_ms"),
        ({"result": json.loads("[" * 40 + "]" * 40)}, "$.result"),
    ],
)
def test_values_the_store_or_the_page_could_not_hold_are_invalid_not_errors(
    trace: dict[str, Any], path: str
) -> None:
    reading = _read({"format": FORMAT, "spans": [], **trace})
    assert (reading.outcome, reading.invalid_at) == (Outcome.INVALID_TRACE, path)


def test_nan_is_not_json() -> None:
    reading = traceformat.read(b'{"format": "gyrfalcon.trace/v1", "duration_ms": NaN, "spans": []}')
    assert reading.outcome is Outcome.NOT_JSON
    assert "NaN" in (reading.reason or "")


@pytest.mark.parametrize(
    "broken",
    [
        {"events": 5, "status": {"code": 2}},
        {"attributes": [{"key": "a", "value": {"arrayValue": "x"}}]},
    ],
)
def test_otlp_of_an_unexpected_shape_is_an_invalid_trace(broken: dict[str, Any]) -> None:
    reading = _read(_otlp({**_otlp_span("a", "", "handler", 0, 10), **broken}))
    assert (reading.outcome, reading.invalid_at) == (Outcome.INVALID_TRACE, "$")
