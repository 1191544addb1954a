"""Spans: the timed, nested records of the calls a debug endpoint makes.

The open span lives in a ``ContextVar``, so nesting follows ``await`` and reaches
threads started with a copied context (``asyncio.to_thread``, ``contextvars.copy_context().run``)
without passing anything around. Outside a trace there is no open span and every span
is the shared idle one: a ``ContextVar`` read and nothing recorded, so decorators can stay
on production code paths.
"""

from __future__ import annotations

import functools
import inspect
import math
import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextvars import Context, ContextVar, Token, copy_context
from operator import attrgetter
from time import perf_counter_ns
from types import TracebackType
from typing import Any, Final, TypeVar, cast

from gyrfalcon.probe.vocabulary import MAX_TEXT, Kind, Status, check_kind, outcome_of

MAX_ATTRIBUTES: Final = 100
MAX_NAME: Final = 200
MAX_TARGET: Final = 1000
MAX_DEPTH: Final = 100
"""Deeper spans are dropped: serialising (and the platform's drawing) recurses per level,
and a recursive function under ``@traced`` must not take the trace down with it."""

AttributeValue = str | int | float | bool | None
F = TypeVar("F", bound=Callable[..., Any])
_START: Final = attrgetter("start_ns")


class Recorder:
    """What the spans of one trace share: the clock origin, the span budget (a trace of
    thousands of spans is still cheap to send and draw), and whether the trace is over,
    after which spans from work left running (a timed-out check's thread) are not kept."""

    __slots__ = ("_lock", "_taken", "dropped", "ended_ns", "max_spans", "origin_ns", "root")

    def __init__(self, max_spans: int) -> None:
        self.origin_ns = perf_counter_ns()
        self.ended_ns: int | None = None
        self.max_spans = max_spans
        self.dropped = 0
        self._taken = 0
        # Threads with a copied context record into the same trace at once.
        self._lock = threading.Lock()
        self.root = Span("trace", "internal", None, {}, self, depth=0)

    def admit(self, depth: int) -> bool:
        """Whether one more span at ``depth`` is kept; a refused one counts as dropped."""
        if self.ended_ns is not None:
            return False
        with self._lock:
            if self._taken < self.max_spans and depth <= MAX_DEPTH:
                self._taken += 1
                return True
            self.dropped += 1
            return False

    def end(self) -> None:
        if self.ended_ns is None:
            self.ended_ns = perf_counter_ns()


class Span:
    """One timed call. Code inside it may set ``attributes[...]`` and ``target``, or call
    ``skip(reason)`` or ``fail(message)``; once a span has ended its outcome stays as it is
    (a timed-out check's thread cannot turn "timeout" back into something else)."""

    __slots__ = (
        "attributes",
        "children",
        "depth",
        "end_ns",
        "error",
        "kind",
        "name",
        "recorder",
        "start_ns",
        "status",
        "target",
    )

    def __init__(
        self,
        name: str,
        kind: Kind,
        target: str | None,
        attributes: MutableMapping[str, Any],
        recorder: Recorder,
        depth: int,
    ) -> None:
        self.name = name
        self.kind: Kind = kind
        self.target = target
        self.attributes = attributes
        self.recorder = recorder
        self.depth = depth
        self.status: Status = "ok"
        self.error: str | None = None
        self.children: list[Span] = []
        self.start_ns = perf_counter_ns()
        self.end_ns: int | None = None

    def skip(self, reason: str) -> None:
        """Mark the span as not run (a missing library, a feature turned off), saying why."""
        if self.end_ns is None:
            self.status, self.error = "skipped", reason

    def fail(self, message: str) -> None:
        """Mark the span as failed without raising (an answer that came back wrong)."""
        if self.end_ns is None:
            self.status, self.error = "error", message

    def finish(self, status: Status | None = None, error: str | None = None) -> None:
        """End the span, with ``status`` and ``error`` when given; the first end wins."""
        if self.end_ns is not None:
            return
        if status is not None:
            self.status, self.error = status, error
        self.end_ns = perf_counter_ns()

    @property
    def duration_ms(self) -> float:
        """How long it took, or has taken so far."""
        return milliseconds((self.end_ns or perf_counter_ns()) - self.start_ns)

    def to_dict(self, origin_ns: int, open_until_ns: int) -> dict[str, Any]:
        """The span in the trace format. A span still open when the trace ended (work
        nobody waited for) is shown up to ``open_until_ns`` as a timeout, however it
        ended later: what a trace says must not depend on when it was written out."""
        status, error, end_ns = self.status, self.error, self.end_ns
        if end_ns is None or end_ns > open_until_ns:
            status, error, end_ns = "timeout", "still running when the trace ended", open_until_ns
        out: dict[str, Any] = {"name": str(self.name)[:MAX_NAME] or "unnamed", "kind": self.kind}
        if self.target is not None:
            out["target"] = str(self.target)[:MAX_TARGET]
        out["start_ms"] = milliseconds(self.start_ns - origin_ns)
        out["duration_ms"] = milliseconds(max(0, end_ns - self.start_ns))
        out["status"] = status
        if error is not None:
            out["error"] = error[:MAX_TEXT]
        if self.attributes:
            out["attributes"] = flat_attributes(self.attributes)
        if self.children:
            # Threads append in the order they got the GIL, not the order they started.
            ordered = sorted(self.children, key=_START)
            out["children"] = [child.to_dict(origin_ns, open_until_ns) for child in ordered]
        return out


class _Discarding(MutableMapping[str, Any]):
    """The idle span's attributes: writes vanish, so setting attributes outside a trace
    keeps nothing alive."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        return None

    def __delitem__(self, key: str) -> None:
        return None

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


_IDLE_RECORDER: Final = Recorder(max_spans=0)
_IDLE_RECORDER.end()
IDLE_SPAN: Final = Span("idle", "internal", None, _Discarding(), _IDLE_RECORDER, depth=1)
IDLE_SPAN.finish()
"""What a span is outside a trace: already ended, so ``skip``/``fail`` do nothing."""

_current: ContextVar[Span | None] = ContextVar("gyrfalcon_probe_span", default=None)


def milliseconds(nanoseconds: int) -> float:
    """Milliseconds to the microsecond (cut, not rounded: ``round`` costs ten times more,
    and it runs three times per span)."""
    return nanoseconds // 1000 / 1000


def flat_attributes(attributes: Mapping[str, Any]) -> dict[str, AttributeValue]:
    """Attributes as the schema takes them: strings (capped), finite numbers, booleans
    and nulls; anything else as its ``str()``. Past the 99th, the rest are counted in
    ``probe.dropped_attributes`` so that a reader knows some are missing."""
    # list() copies in one C call: a timed-out check's thread may still be writing.
    items = list(attributes.items())
    if len(items) > MAX_ATTRIBUTES:
        kept = items[: MAX_ATTRIBUTES - 1]
        kept.append(("probe.dropped_attributes", len(items) - len(kept)))
        items = kept
    return {str(key)[:MAX_NAME]: _flat_value(value) for key, value in items}


def _flat_value(value: Any) -> AttributeValue:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        # NaN and infinities are not JSON.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return value[:MAX_TEXT]
    try:
        return str(value)[:MAX_TEXT]
    except Exception:  # an attribute must not take the trace down with it
        return f"<unprintable {type(value).__name__}>"


def current_span() -> Span:
    """The innermost open span, to set attributes on or to ``fail``/``skip``; the idle
    span (which keeps nothing) when no span is open."""
    span = _current.get()
    if span is None or span.depth == 0:
        return IDLE_SPAN
    return span


def activate(span: Span) -> Token[Span | None]:
    """Make ``span`` the open one in this context (a trace activates its root)."""
    return _current.set(span)


def deactivate(token: Token[Span | None]) -> None:
    _current.reset(token)


def _attach(
    name: str, kind: Kind, target: str | None, attributes: MutableMapping[str, Any]
) -> Span | None:
    """A new span under the open one, or None outside a trace or past its budget."""
    parent = _current.get()
    if parent is None or not parent.recorder.admit(parent.depth + 1):
        return None
    child = Span(name, kind, target, attributes, parent.recorder, parent.depth + 1)
    parent.children.append(child)
    return child


def start_span(name: str, kind: Kind, target: str | None) -> Span:
    """A span for work that another task or thread will do (a check), started now but
    not made the open one here. Outside a trace it is detached: recorded nowhere, but its
    outcome can still be set and read, and spans opened inside it are idle."""
    span = _attach(name, kind, target, {})
    return span or Span(name, kind, target, {}, _IDLE_RECORDER, depth=1)


def context_inside(span: Span) -> Context:
    """A copy of the current context in which ``span`` is the open span, to run a check's
    task or thread in, so that what it records nests under its span."""
    context = copy_context()
    context.run(_current.set, span)
    return context


class SpanBlock:
    """What ``span()`` returns: a ``with``/``async with`` block, or a decorator that opens
    a fresh span around each call. As a block it may be open once at a time: make one
    per use, ``with span("load"):``."""

    __slots__ = ("_attributes", "_kind", "_name", "_opened", "_target")

    def __init__(
        self, name: str, kind: Kind, target: str | None, attributes: MutableMapping[str, Any]
    ) -> None:
        self._name = name
        self._kind = kind
        self._target = target
        self._attributes = attributes
        self._opened: tuple[Span, Token[Span | None]] | None = None

    def __enter__(self) -> Span:
        if self._opened is not None:
            raise RuntimeError(f"span {self._name!r} is already open; call span() again")
        span = _attach(self._name, self._kind, self._target, self._attributes)
        if span is None:
            return IDLE_SPAN
        self._opened = (span, _current.set(span))
        return span

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        opened = self._opened
        if opened is None:
            return
        self._opened = None
        span, token = opened
        if error is None:
            span.finish()
        else:
            span.finish(*outcome_of(error))
        _current.reset(token)

    async def __aenter__(self) -> Span:
        return self.__enter__()

    async def __aexit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.__exit__(error_type, error, traceback)

    def __call__(self, function: F) -> F:
        return _decorate(function, self._name, self._kind, self._target, self._attributes)


def _decorate(
    function: F, name: str, kind: Kind, target: str | None, attributes: Mapping[str, Any]
) -> F:
    if inspect.isgeneratorfunction(function) or inspect.isasyncgenfunction(function):
        # The span would time making the generator, not consuming it.
        raise TypeError(f"cannot trace the generator {function.__qualname__}: trace its caller")
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def traced_coroutine(*args: Any, **kwargs: Any) -> Any:
            if _current.get() is None:
                return await function(*args, **kwargs)
            with SpanBlock(name, kind, target, dict(attributes)):
                return await function(*args, **kwargs)

        return cast(F, traced_coroutine)

    @functools.wraps(function)
    def traced_function(*args: Any, **kwargs: Any) -> Any:
        if _current.get() is None:
            return function(*args, **kwargs)
        with SpanBlock(name, kind, target, dict(attributes)):
            return function(*args, **kwargs)

    return cast(F, traced_function)


def _checked_name(name: str) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"a span needs a non-empty name, not {name!r}")
    return name


def span(
    name: str, kind: Kind = "internal", target: str | None = None, **attributes: Any
) -> SpanBlock:
    """A span named ``name`` for ``with``, ``async with`` or as a decorator. ``kind`` is
    what it calls (the schema's kinds: db, http, cache ...), ``target`` where (host:port/db,
    a URL, a bucket), ``attributes`` details worth showing (the SQL, the key)."""
    return SpanBlock(_checked_name(name), check_kind(kind), target, attributes)


def traced(
    name: str | None = None, kind: Kind = "internal", target: str | None = None, **attributes: Any
) -> Callable[[F], F]:
    """A decorator opening a span around each call of a function, ``def`` or ``async def``;
    the span is named after the function unless ``name`` is given. Use it with
    parentheses: ``@traced()`` or ``@traced("load order", kind="db")``."""
    if name is not None and not isinstance(name, str):
        raise TypeError("use @traced() or @traced('name'), with the parentheses")
    checked_kind = check_kind(kind)

    def decorate(function: F) -> F:
        chosen = _checked_name(name if name is not None else function.__qualname__)
        return _decorate(function, chosen, checked_kind, target, attributes)

    return decorate
