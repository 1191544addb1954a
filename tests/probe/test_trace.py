"""The trace as a whole: its fields, its status, the handler's result and error, the span
budget, and work that outlives the trace."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import threading

import pytest

from gyrfalcon import probe
from gyrfalcon.probe.trace import MAX_SPANS
from tests.probe.validation import valid_trace


def test_the_trace_carries_service_endpoint_start_duration_and_result() -> None:
    before = dt.datetime.now(dt.UTC)
    with probe.Trace("orders", "/debug/checkout") as trace:
        with probe.span("load", kind="db"):
            pass
        trace.result = {"order": 7, "lines": [1, 2]}
        trace.attributes["region"] = "eu-west-1"

    document = valid_trace(json.loads(json.dumps(trace.to_dict())))
    assert document["format"] == probe.FORMAT == "gyrfalcon.trace/v1"
    assert (document["service"], document["endpoint"]) == ("orders", "/debug/checkout")
    assert document["started_at"].endswith("Z")
    started = dt.datetime.fromisoformat(document["started_at"])
    assert started >= before.replace(microsecond=before.microsecond // 1000 * 1000)
    assert document["duration_ms"] >= document["spans"][0]["duration_ms"]
    assert document["result"] == {"order": 7, "lines": [1, 2]}
    assert document["attributes"] == {"region": "eu-west-1"}
    assert document["status"] == "ok"
    assert "error" not in document


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ((), "ok"),
        (("ok", "skipped"), "ok"),
        (("skipped", "skipped"), "skipped"),
        (("ok", "timeout"), "timeout"),
        (("timeout", "error", "ok"), "error"),
    ],
)
def test_the_status_is_the_worst_of_the_spans(outcomes: tuple[str, ...], expected: str) -> None:
    with probe.Trace("orders") as trace:
        for number, outcome in enumerate(outcomes):
            with probe.span(f"span {number}") as span:
                if outcome == "skipped":
                    span.skip("off")
                elif outcome == "error":
                    span.fail("broken")
            if outcome == "timeout":
                span.status = "timeout"

    assert valid_trace(trace.to_dict())["status"] == expected


def test_a_failed_child_makes_the_trace_fail_even_when_its_caller_caught_it() -> None:
    with probe.Trace("orders") as trace, probe.span("with fallback"):
        try:
            with probe.span("primary", kind="db"):
                raise ConnectionError("down")
        except ConnectionError:
            pass

    document = valid_trace(trace.to_dict())
    assert document["spans"][0]["status"] == "ok"
    assert document["status"] == "error"


def test_an_exception_of_the_handler_is_the_trace_error() -> None:
    with pytest.raises(LookupError), probe.Trace("orders", "/debug/x") as trace:
        with probe.span("fine"):
            pass
        raise LookupError("no such order")

    document = valid_trace(trace.to_dict())
    assert (document["status"], document["error"]) == ("error", "LookupError: no such order")
    assert document["spans"][0]["status"] == "ok"


def test_a_result_that_is_not_json_is_left_out_and_said_so() -> None:
    with probe.Trace("orders") as trace:
        trace.result = {"when": dt.date(2024, 1, 1)}
    document = valid_trace(trace.to_dict())
    assert "result" not in document
    assert "not JSON serializable" in document["attributes"]["probe.result_not_json"]

    with probe.Trace("orders") as nan_trace:
        nan_trace.result = [float("nan")]
    assert "result" not in valid_trace(nan_trace.to_dict())


def test_spans_past_the_budget_are_counted_as_dropped() -> None:
    with probe.Trace("orders") as trace:
        for _ in range(MAX_SPANS + 25):
            with probe.span("tiny"):
                pass

    document = valid_trace(trace.to_dict())
    assert len(document["spans"]) == MAX_SPANS
    assert document["attributes"]["probe.dropped_spans"] == 25

    with probe.Trace("orders", max_spans=2) as small, probe.span("a"):
        with probe.span("b"):
            pass
        with probe.span("c"):
            pass
    assert valid_trace(small.to_dict())["attributes"]["probe.dropped_spans"] == 1


def test_work_left_running_is_shown_up_to_the_end_and_later_spans_are_not_kept() -> None:
    release = threading.Event()
    opened = threading.Event()

    def left_running() -> None:
        with probe.span("left running"):
            opened.set()
            release.wait()
        with probe.span("after the end"):
            pass

    with probe.Trace("orders") as trace:
        worker = threading.Thread(target=contextvars.copy_context().run, args=(left_running,))
        worker.start()
        assert opened.wait(30)
    release.set()
    worker.join()

    document = valid_trace(trace.to_dict())
    (span,) = document["spans"]
    assert (span["name"], span["status"]) == ("left running", "timeout")
    assert span["error"] == "still running when the trace ended"
    # Each of the three is cut to the microsecond.
    assert span["start_ms"] + span["duration_ms"] <= document["duration_ms"] + 0.001


def test_a_trace_cannot_be_entered_twice() -> None:
    trace = probe.Trace("orders")
    with trace, pytest.raises(RuntimeError, match="already active"):
        trace.__enter__()
