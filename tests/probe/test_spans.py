"""Spans: nesting through await and threads, the idle path outside a trace, how an
exception, a skip or a failure is recorded, and how attributes are flattened."""

from __future__ import annotations

import asyncio
import contextvars
import math
import threading
import time

import pytest

from gyrfalcon import probe
from gyrfalcon.probe.spans import IDLE_SPAN, MAX_ATTRIBUTES, MAX_DEPTH
from tests.probe.validation import by_name, valid_trace


def test_spans_nest_in_with_blocks_and_decorated_functions() -> None:
    @probe.traced("load order", kind="db", target="db:5432/orders", table="orders")
    def load() -> int:
        with probe.span("parse row"):
            return 7

    with probe.Trace("orders", "/debug/checkout") as trace:
        with probe.span("checkout", kind="internal") as outer:
            outer.attributes["cart"] = 3
            assert load() == 7
        with probe.span("second"):
            pass

    document = valid_trace(trace.to_dict())
    assert [span["name"] for span in document["spans"]] == ["checkout", "second"]
    (loaded,) = document["spans"][0]["children"]
    assert loaded["name"] == "load order"
    assert (loaded["kind"], loaded["target"]) == ("db", "db:5432/orders")
    assert loaded["attributes"] == {"table": "orders"}
    assert [child["name"] for child in loaded["children"]] == ["parse row"]
    assert document["spans"][0]["attributes"] == {"cart": 3}
    assert document["status"] == "ok"


async def test_nesting_follows_await_and_concurrent_tasks() -> None:
    both_started = asyncio.Barrier(2)

    @probe.traced()
    async def fetch(label: str) -> str:
        with probe.span(f"{label} query", kind="db"):
            await both_started.wait()  # the two tasks are open at the same time
            await asyncio.sleep(0)
        return label

    with probe.Trace("orders") as trace, probe.span("parent"):
        assert await asyncio.gather(fetch("a"), fetch("b")) == ["a", "b"]

    document = valid_trace(trace.to_dict())
    (parent,) = document["spans"]
    assert [child["name"] for child in parent["children"]] == [
        "test_nesting_follows_await_and_concurrent_tasks.<locals>.fetch"
    ] * 2
    inner = sorted(child["children"][0]["name"] for child in parent["children"])
    assert inner == ["a query", "b query"]


async def test_nesting_reaches_threads_started_with_a_copied_context() -> None:
    def blocking_call(label: str) -> None:
        with probe.span(f"{label} in thread", kind="rpc"):
            pass

    with probe.Trace("orders") as trace:
        with probe.span("to_thread"):
            await asyncio.to_thread(blocking_call, "a")
        with probe.span("thread"):
            context = contextvars.copy_context()
            thread = threading.Thread(target=context.run, args=(blocking_call, "b"))
            thread.start()
            thread.join()
        # A thread that did not copy the context records nothing: it is outside the trace.
        bare = threading.Thread(target=blocking_call, args=("c",))
        bare.start()
        bare.join()

    spans = by_name(valid_trace(trace.to_dict()))
    assert [child["name"] for child in spans["to_thread"]["children"]] == ["a in thread"]
    assert [child["name"] for child in spans["thread"]["children"]] == ["b in thread"]
    assert "c in thread" not in spans


async def test_outside_a_trace_spans_are_idle_and_decorated_code_runs_unchanged() -> None:
    @probe.traced(kind="db")
    def sync_call(value: int) -> int:
        probe.current_span().attributes["kept"] = "nowhere"
        return value + 1

    @probe.traced()
    async def async_call(value: int) -> int:
        return value * 2

    assert sync_call(1) == 2
    assert await async_call(2) == 4
    with probe.span("idle", kind="cache", key="k") as span:
        span.attributes["rows"] = 1
        span.skip("not recorded")
        span.target = "anywhere"
    async with probe.span("idle async") as span_async:
        span_async.fail("not recorded")
    assert span is IDLE_SPAN and span_async is IDLE_SPAN
    assert dict(IDLE_SPAN.attributes) == {}
    assert IDLE_SPAN.status == "ok"
    with pytest.raises(KeyError), probe.span("raises through"):
        raise KeyError("still raised")


def test_an_escaping_exception_marks_the_span_and_is_raised_again() -> None:
    @probe.traced("charge card", kind="http")
    def charge() -> None:
        raise ConnectionError("card service refused")

    with probe.Trace("payments") as trace:
        with pytest.raises(ConnectionError):
            charge()
        with pytest.raises(TimeoutError), probe.span("slow call"):
            raise TimeoutError("read timed out")
        with pytest.raises(RuntimeError), probe.span("bare"):
            raise RuntimeError

    spans = by_name(valid_trace(trace.to_dict()))
    assert spans["charge card"]["status"] == "error"
    assert spans["charge card"]["error"] == "ConnectionError: card service refused"
    assert spans["slow call"]["status"] == "timeout"
    assert spans["slow call"]["error"] == "TimeoutError: read timed out"
    assert spans["bare"]["error"] == "RuntimeError"
    assert trace.to_dict()["status"] == "error"


async def test_async_with_and_async_decorators_record_errors_too() -> None:
    @probe.traced("fetch")
    async def fetch() -> None:
        await asyncio.sleep(0)
        raise ValueError("bad payload")

    with probe.Trace("orders") as trace:
        with pytest.raises(ValueError):
            await fetch()
        async with probe.span("block") as span:
            span.attributes["ok"] = True

    spans = by_name(valid_trace(trace.to_dict()))
    assert (spans["fetch"]["status"], spans["fetch"]["error"]) == (
        "error",
        "ValueError: bad payload",
    )
    assert spans["block"] == {**spans["block"], "status": "ok", "attributes": {"ok": True}}


def test_skip_fail_and_the_check_exceptions() -> None:
    with probe.Trace("orders") as trace:
        with probe.span("feature off") as skipped:
            skipped.skip("payments are disabled here")
        with probe.span("wrong answer") as failed:
            failed.fail("expected 3 rows, got 0")
        with pytest.raises(probe.CheckFailed), probe.span("raised failure"):
            raise probe.CheckFailed("HTTP 503")
        with pytest.raises(probe.CheckSkipped), probe.span("raised skip"):
            raise probe.CheckSkipped("no client configured")

    spans = by_name(valid_trace(trace.to_dict()))
    assert (spans["feature off"]["status"], spans["feature off"]["error"]) == (
        "skipped",
        "payments are disabled here",
    )
    assert spans["wrong answer"]["error"] == "expected 3 rows, got 0"
    assert (spans["raised failure"]["status"], spans["raised failure"]["error"]) == (
        "error",
        "HTTP 503",
    )
    assert spans["raised skip"]["status"] == "skipped"
    # A span that has ended keeps its outcome.
    failed.skip("too late")
    assert failed.status == "error"


def test_attributes_are_flattened_and_capped() -> None:
    class Order:
        def __str__(self) -> str:
            return "order #7"

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    with probe.Trace("orders") as trace:
        with probe.span("values") as span:
            span.attributes.update(
                {
                    "text": "x" * 20_000,
                    "integer": 3,
                    "ratio": 0.5,
                    "flag": False,
                    "nothing": None,
                    "not a number": math.nan,
                    "infinite": math.inf,
                    "object": Order(),
                    "list": [1, 2],
                    "broken": Unprintable(),
                    "k" * 300: "long name",
                }
            )
        with probe.span("many") as many:
            many.attributes.update({f"a{index}": index for index in range(150)})

    spans = by_name(valid_trace(trace.to_dict()))
    values = spans["values"]["attributes"]
    assert len(values["text"]) == 10_000
    assert (values["integer"], values["ratio"], values["flag"], values["nothing"]) == (
        3,
        0.5,
        False,
        None,
    )
    assert (values["not a number"], values["infinite"]) == ("nan", "inf")
    assert (values["object"], values["list"]) == ("order #7", "[1, 2]")
    assert values["broken"] == "<unprintable Unprintable>"
    assert values["k" * 200] == "long name"
    crowded = spans["many"]["attributes"]
    assert len(crowded) == MAX_ATTRIBUTES
    assert crowded["probe.dropped_attributes"] == 150 - (MAX_ATTRIBUTES - 1)


def test_a_slow_span_lasts_at_least_its_sleep_and_starts_after_the_earlier_one() -> None:
    with probe.Trace("orders") as trace:
        with probe.span("first"):
            pass
        with probe.span("sleeper"):
            time.sleep(0.02)

    spans = by_name(valid_trace(trace.to_dict()))
    assert spans["sleeper"]["duration_ms"] >= 20
    assert spans["sleeper"]["start_ms"] >= spans["first"]["start_ms"]
    assert trace.to_dict()["duration_ms"] >= spans["sleeper"]["duration_ms"]


def test_spans_nested_too_deep_are_dropped_and_counted() -> None:
    def descend(levels: int) -> None:
        if levels:
            with probe.span("level"):
                descend(levels - 1)

    with probe.Trace("orders") as trace:
        descend(MAX_DEPTH + 5)

    document = valid_trace(trace.to_dict())
    assert document["attributes"]["probe.dropped_spans"] == 5


def test_declaring_a_span_wrongly_fails_where_it_is_declared() -> None:
    with pytest.raises(ValueError, match="database"):
        probe.span("x", kind="database")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty name"):
        probe.span("")
    with pytest.raises(TypeError, match="parentheses"):
        probe.traced(lambda: None)  # type: ignore[arg-type]

    def numbers() -> object:
        yield 1

    with pytest.raises(TypeError, match="generator"):
        probe.traced()(numbers)
    block = probe.span("once")
    with probe.Trace("orders"), block, pytest.raises(RuntimeError, match="already open"):
        block.__enter__()
