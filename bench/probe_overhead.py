"""Probe SDK overhead: a debug endpoint whose work is 20 dependency-like calls, timed
with the SDK (a Trace, a span around each call, ``to_dict()`` and ``json.dumps`` of
the trace) and without it (the same calls undecorated, ``json.dumps`` of the result),
in the same process and run. Target: under 1 ms extra per call at p50.

The calls are cheap in-process work so that the difference is the SDK's own cost; the
two variants alternate call by call, so drift (another process, the CPU's clock) falls
on both alike.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from gyrfalcon import probe

SPANS = 20
CALLS = 20_000
WARMUP = 1_000
TARGET_EXTRA_US = 1000


def _dependency(number: int) -> int:
    """Stands in for a call to a dependency: a little arithmetic."""
    return sum(range(number % 7 + 30))


@probe.traced("load order row", kind="db", target="db.internal:5432/orders", table="orders")
def _traced_dependency(number: int) -> int:
    return _dependency(number)


def with_sdk() -> bytes:
    """Half the spans from a decorator, half from ``with`` blocks that set an attribute."""
    trace = probe.Trace("orders", "/debug/checkout")
    with trace:
        total = 0
        for number in range(SPANS // 2):
            total += _traced_dependency(number)
            with probe.span("read cache", kind="cache", target="cache:6379/0") as span:
                found = _dependency(number)
                span.attributes["bytes"] = found
                total += found
        trace.result = {"total": total}
    return json.dumps(trace.to_dict()).encode()


def without_sdk() -> bytes:
    total = 0
    for number in range(SPANS // 2):
        total += _dependency(number)
        total += _dependency(number)
    return json.dumps({"total": total}).encode()


def _timed_us(action: Callable[[], Any]) -> float:
    started = time.perf_counter_ns()
    action()
    return (time.perf_counter_ns() - started) / 1000


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    for _ in range(WARMUP):
        with_sdk()
        without_sdk()
    with_us: list[float] = []
    without_us: list[float] = []
    for _ in range(CALLS):
        with_us.append(_timed_us(with_sdk))
        without_us.append(_timed_us(without_sdk))
    with_p50 = statistics.median(with_us)
    without_p50 = statistics.median(without_us)
    result = {
        "bench": "probe_overhead",
        "spans": SPANS,
        "calls": CALLS,
        "with_sdk_us_p50": round(with_p50, 1),
        "without_sdk_us_p50": round(without_p50, 1),
        "extra_us_per_call_p50": round(with_p50 - without_p50, 1),
        "extra_us_p95": round(_p95(with_us) - _p95(without_us), 1),
        "target_extra_us": TARGET_EXTRA_US,
        "ratio": round(with_p50 / without_p50, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
