"""Running independent checks at once, each in its own span and with its own time limit,
so that one hung dependency costs the endpoint its own timeout and not everyone's.

``gather`` is for ``async def`` handlers, ``run_checks`` for plain ones (WSGI apps).
A check past its timeout is recorded as "timeout" and left behind: an ``async def``
check is cancelled, but a ``def`` check runs in a thread and **a thread cannot be
killed**, so it goes on until its own call returns (give the client a timeout of its
own). Those threads are daemon threads started per check rather than a
``ThreadPoolExecutor``'s, whose workers are joined when the interpreter exits: a check
hung for good would otherwise keep the service from shutting down.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
import time
from collections.abc import Callable
from contextvars import Context
from dataclasses import dataclass
from typing import Any

from gyrfalcon.probe.checks.base import Check
from gyrfalcon.probe.spans import (
    AttributeValue,
    Span,
    context_inside,
    flat_attributes,
    start_span,
)
from gyrfalcon.probe.vocabulary import Status, outcome_of


@dataclass(frozen=True)
class CheckResult:
    """How one check ended, the same as its span says (also outside a trace)."""

    name: str
    status: Status
    error: str | None
    duration_ms: float
    attributes: dict[str, AttributeValue]
    value: Any = None
    """What the check's call returned, when it finished in time."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _TimedOut(Exception):
    """An ``async def`` check run by ``run_checks`` reached its limit inside its own loop."""


def _timeout_message(check: Check) -> str:
    return f"did not finish within {check.timeout:g} s"


def _is_async(call: Callable[[], Any]) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004  # an object whose __call__ is async def
    )


def _call_sync(check: Check) -> Any:
    value = check.call()
    if inspect.isawaitable(value):
        if inspect.iscoroutine(value):
            value.close()  # no "never awaited" warning on top of the error
        raise TypeError(f"check {check.name!r} returned an awaitable: make its call async def")
    return value


async def _call_async(check: Check) -> Any:
    return await check.call()


def _start(check: Check) -> tuple[Span, Context]:
    span = start_span(check.name, check.kind, check.target)
    span.attributes.update(check.attributes)
    return span, context_inside(span)


def _settle(check: Check, span: Span, error: BaseException | None) -> None:
    if error is None:
        span.finish()
    elif isinstance(error, _TimedOut):
        span.finish("timeout", _timeout_message(check))
    else:
        span.finish(*outcome_of(error))


def _result(check: Check, span: Span, value: Any = None) -> CheckResult:
    return CheckResult(
        name=check.name,
        status=span.status,
        error=span.error,
        duration_ms=span.duration_ms,
        attributes=flat_attributes(span.attributes),
        value=value,
    )


async def gather(*checks: Check) -> list[CheckResult]:
    """Run ``checks`` concurrently and return their results in the same order, once each
    has finished or reached its own timeout (those get "timeout" and
    "did not finish within N s"). ``async def`` checks run as tasks of this loop,
    ``def`` checks in threads."""
    return list(await asyncio.gather(*(_supervise(check) for check in checks)))


async def _supervise(check: Check) -> CheckResult:
    span, context = _start(check)
    work = _launch(check, context)
    try:
        done, _pending = await asyncio.wait({work}, timeout=check.timeout)
    except asyncio.CancelledError:  # the request itself went away
        work.cancel()
        span.finish("error", "cancelled")
        raise
    if not done:
        work.cancel()
        work.add_done_callback(_forget)
        span.finish("timeout", _timeout_message(check))
        return _result(check, span)
    if work.cancelled():
        span.finish("error", "cancelled")
        return _result(check, span)
    error = work.exception()
    _settle(check, span, error)
    return _result(check, span, None if error else work.result())


def _forget(work: asyncio.Future[Any]) -> None:
    """Read the outcome of work left behind, so asyncio does not log it as never retrieved."""
    if not work.cancelled():
        work.exception()


def _launch(check: Check, context: Context) -> asyncio.Future[Any]:
    loop = asyncio.get_running_loop()
    if _is_async(check.call):
        return loop.create_task(
            _call_async(check), name=f"probe check {check.name}", context=context
        )
    future: asyncio.Future[Any] = loop.create_future()

    def deliver(error: BaseException | None, value: Any) -> None:
        if future.done():  # cancelled at the timeout
            return
        if error is None:
            future.set_result(value)
        else:
            future.set_exception(error)

    def work() -> None:
        error: BaseException | None = None
        value = None
        try:
            value = context.run(_call_sync, check)
        except Exception as raised:
            error = raised
        # The loop may have closed while a hung check was left behind.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(deliver, error, value)

    threading.Thread(target=work, name=f"probe check {check.name}", daemon=True).start()
    return future


def run_checks(*checks: Check) -> list[CheckResult]:
    """``gather`` for code without an event loop: every check in a thread of its own,
    results in the same order once each has finished or reached its timeout. An
    ``async def`` check runs in a fresh event loop in its thread (so pass it clients not
    tied to another loop) and is cancelled there at its timeout."""
    runs = [_ThreadRun(check) for check in checks]
    return [run.result() for run in runs]


class _ThreadRun:
    """One check of ``run_checks``, started at once in its own daemon thread."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self.span, context = _start(check)
        self.deadline = time.monotonic() + check.timeout
        self.finished = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        thread = threading.Thread(
            target=context.run, args=(self._work,), name=f"probe check {check.name}", daemon=True
        )
        thread.start()

    def _work(self) -> None:
        try:
            if _is_async(self.check.call):
                self.value = asyncio.run(self._bounded())
            else:
                self.value = _call_sync(self.check)
        except Exception as error:
            self.error = error
        finally:
            # Ended here, when the work ends: ending it when ``result`` collects it would
            # give a fast check listed after a slow one the slow one's duration.
            if time.monotonic() > self.deadline:
                self.span.finish("timeout", _timeout_message(self.check))
            else:
                _settle(self.check, self.span, self.error)
            self.finished.set()

    async def _bounded(self) -> Any:
        limit = asyncio.timeout(self.check.timeout)
        try:
            async with limit:
                return await _call_async(self.check)
        except TimeoutError:
            if limit.expired():  # ours, not a timeout the check itself ran into
                raise _TimedOut from None
            raise

    def result(self) -> CheckResult:
        remaining = max(0.0, self.deadline - time.monotonic())
        if not self.finished.wait(remaining):
            self.span.finish("timeout", _timeout_message(self.check))
            return _result(self.check, self.span)
        ok = self.span.status == "ok"
        return _result(self.check, self.span, self.value if ok else None)
