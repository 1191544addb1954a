"""Checks run concurrently, each with its own timeout: ``gather`` in an event loop,
``run_checks`` without one. A hanging check waits on an event that is only set after
the assertions (to let its thread end); the others get timeouts generous enough that
only a hang could reach them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from gyrfalcon import probe
from tests.probe.validation import by_name, valid_trace

GENEROUS = 30.0
HANG_LIMIT = 0.2


@pytest.fixture
def never() -> Iterator[threading.Event]:
    """An event no check sets: set at teardown so that hung threads can end."""
    event = threading.Event()
    yield event
    event.set()


async def test_gather_runs_checks_concurrently_each_with_its_own_timeout(
    never: threading.Event,
) -> None:
    # Each of the two waits for the other to have started: only concurrent runs finish.
    async_started, thread_started = asyncio.Event(), threading.Event()
    loop = asyncio.get_running_loop()

    async def waits_for_the_thread() -> str:
        async_started.set()
        await asyncio.to_thread(thread_started.wait, GENEROUS)
        return "async done"

    def waits_for_the_task() -> str:
        thread_started.set()
        asyncio.run_coroutine_threadsafe(async_started.wait(), loop).result(GENEROUS)
        return "thread done"

    async def hangs() -> None:
        await asyncio.Event().wait()

    checks = [
        probe.Check("async", waits_for_the_thread, kind="rpc", timeout=GENEROUS),
        probe.Check("sync", waits_for_the_task, kind="db", target="db:5432/x", timeout=GENEROUS),
        probe.Check("async hang", hangs, timeout=HANG_LIMIT),
        probe.Check("sync hang", never.wait, timeout=HANG_LIMIT),
    ]
    with probe.Trace("orders") as trace:
        results = await probe.gather(*checks)

    assert [result.name for result in results] == ["async", "sync", "async hang", "sync hang"]
    assert [result.value for result in results[:2]] == ["async done", "thread done"]
    assert [result.status for result in results] == ["ok", "ok", "timeout", "timeout"]
    assert results[2].error == results[3].error == "did not finish within 0.2 s"
    spans = by_name(valid_trace(trace.to_dict()))
    assert spans["sync"]["kind"] == "db" and spans["sync"]["target"] == "db:5432/x"
    assert spans["sync hang"]["status"] == "timeout"
    assert spans["sync hang"]["error"] == "did not finish within 0.2 s"
    assert spans["async hang"]["duration_ms"] >= HANG_LIMIT * 1000
    assert trace.to_dict()["status"] == "timeout"


def test_run_checks_runs_them_concurrently_in_threads(never: threading.Event) -> None:
    first_started, second_started = threading.Event(), threading.Event()

    def first() -> str:
        first_started.set()
        assert second_started.wait(GENEROUS)
        return "first"

    def second() -> str:
        second_started.set()
        assert first_started.wait(GENEROUS)
        return "second"

    async def async_hang() -> None:
        await asyncio.Event().wait()

    async def async_fine() -> int:
        await asyncio.sleep(0)
        return 5

    with probe.Trace("orders") as trace:
        results = probe.run_checks(
            probe.Check("first", first, timeout=GENEROUS),
            probe.Check("second", second, timeout=GENEROUS),
            probe.Check("sync hang", never.wait, timeout=HANG_LIMIT),
            probe.Check("async hang", async_hang, timeout=HANG_LIMIT),
            probe.Check("async fine", async_fine, timeout=GENEROUS),
        )

    assert [result.value for result in results] == ["first", "second", None, None, 5]
    assert [result.status for result in results] == ["ok", "ok", "timeout", "timeout", "ok"]
    assert {results[2].error, results[3].error} == {"did not finish within 0.2 s"}
    spans = by_name(valid_trace(trace.to_dict()))
    assert spans["sync hang"]["duration_ms"] >= HANG_LIMIT * 1000


def test_a_check_of_run_checks_ends_when_its_work_ends_not_when_it_is_collected() -> None:
    """The slow check is listed first and waits for the fast one's span to have ended:
    were spans ended only as ``run_checks`` collects the results in order, it would
    wait until its timeout."""
    spans: dict[str, probe.Span] = {}
    fast_ended = threading.Event()

    def fast() -> None:
        spans["fast"] = probe.current_span()

    def slow() -> None:
        while not fast_ended.wait(0.001):
            if "fast" in spans and spans["fast"].end_ns is not None:
                fast_ended.set()

    with probe.Trace("orders"):
        results = probe.run_checks(
            probe.Check("slow", slow, timeout=GENEROUS), probe.Check("fast", fast, timeout=GENEROUS)
        )
    assert [result.status for result in results] == ["ok", "ok"]


async def test_what_a_check_records_nests_under_its_span() -> None:
    def in_thread() -> None:
        with probe.span("query", kind="db"):
            probe.current_span().attributes["rows"] = 2
        probe.current_span().attributes["note"] = "from the check"

    async def in_task() -> None:
        with probe.span("fetch", kind="http"):
            await asyncio.sleep(0)

    with probe.Trace("orders") as trace:
        await probe.gather(
            probe.Check("thread check", in_thread, attributes={"sql": "SELECT 1"}),
            probe.Check("task check", in_task),
        )
        probe.run_checks(probe.Check("pool check", in_thread))

    spans = by_name(valid_trace(trace.to_dict()))
    thread_check = spans["thread check"]
    assert thread_check["attributes"] == {"sql": "SELECT 1", "note": "from the check"}
    assert [child["name"] for child in thread_check["children"]] == ["query"]
    assert thread_check["children"][0]["attributes"] == {"rows": 2}
    assert [child["name"] for child in spans["task check"]["children"]] == ["fetch"]
    assert [child["name"] for child in spans["pool check"]["children"]] == ["query"]


async def test_failures_skips_and_mistakes_are_worded_per_check() -> None:
    def refused() -> None:
        raise probe.CheckFailed("HTTP 503")

    async def not_installed() -> None:
        raise probe.CheckSkipped("boto3 is not installed")

    def crashes() -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    async def raises_timeout() -> None:
        raise TimeoutError("socket read timed out")

    async def coroutine() -> None:
        return None

    def forgot_async() -> object:
        return coroutine()

    checks = [
        probe.Check("refused", refused),
        probe.Check("skipped", not_installed),
        probe.Check("crashes", crashes),
        probe.Check("own timeout", raises_timeout),
        probe.Check("not async", forgot_async),
    ]
    expected = [
        ("error", "HTTP 503"),
        ("skipped", "boto3 is not installed"),
        ("error", "ConnectionRefusedError: [Errno 111] Connection refused"),
        ("timeout", "TimeoutError: socket read timed out"),
        ("error", "TypeError: check 'not async' returned an awaitable: make its call async def"),
    ]
    with probe.Trace("orders") as trace:
        gathered = await probe.gather(*checks)
    assert [(result.status, result.error) for result in gathered] == expected
    valid_trace(trace.to_dict())
    ran = await asyncio.to_thread(probe.run_checks, *checks)
    assert [(result.status, result.error) for result in ran] == expected


async def test_checks_work_outside_a_trace_and_their_results_say_how_they_ended() -> None:
    def marks_itself() -> int:
        probe.current_span().attributes["rows"] = 3
        probe.current_span().fail("3 rows, expected 1")
        return 3

    (result,) = await probe.gather(probe.Check("counted", marks_itself))
    assert (result.status, result.error, result.ok) == ("error", "3 rows, expected 1", False)
    assert result.attributes == {"rows": 3}
    (fine,) = probe.run_checks(probe.Check("fine", lambda: "yes"))
    assert (fine.ok, fine.value) == (True, "yes")


def test_a_check_is_validated_when_made() -> None:
    with pytest.raises(ValueError, match="timeout"):
        probe.Check("x", lambda: None, timeout=0)
    with pytest.raises(ValueError, match="kind"):
        probe.Check("x", lambda: None, kind="mainframe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name"):
        probe.Check("", lambda: None)
