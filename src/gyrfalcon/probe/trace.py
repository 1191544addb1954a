"""A trace: the spans one debug request recorded, with what the handler returned or
raised, written out as the ``gyrfalcon.trace/v1`` JSON the platform draws."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextvars import Token
from datetime import UTC, datetime
from time import perf_counter_ns
from types import TracebackType
from typing import Any, Final

from gyrfalcon.probe.spans import (
    Recorder,
    Span,
    activate,
    deactivate,
    flat_attributes,
    milliseconds,
)
from gyrfalcon.probe.vocabulary import MAX_TEXT, SEVERITY, Status, describe

FORMAT: Final = "gyrfalcon.trace/v1"
MAX_SPANS: Final = 10_000
MAX_SERVICE: Final = 200
MAX_ENDPOINT: Final = 1000


class Trace:
    """Collects the spans opened while it is active (``with trace:``), from this task, the
    tasks it starts and threads run with a copied context. It starts when made.

    An exception leaving the ``with`` block is recorded as the trace's ``error`` and goes
    on; the Probe catches its handler's exceptions itself and calls ``fail``.
    """

    def __init__(
        self,
        service: str | None = None,
        endpoint: str | None = None,
        *,
        max_spans: int = MAX_SPANS,
    ) -> None:
        self.service = service
        self.endpoint = endpoint
        self.attributes: dict[str, Any] = {}
        self.result: Any = None
        """What the handler returned; shown when it is JSON (None shows nothing)."""
        self.error: str | None = None
        self._started_at = datetime.now(UTC)
        self._recorder = Recorder(max_spans)
        self._token: Token[Span | None] | None = None

    def __enter__(self) -> Trace:
        if self._token is not None:
            raise RuntimeError("this trace is already active")
        self._token = activate(self._recorder.root)
        return self

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.end()
        if self._token is not None:
            deactivate(self._token)
            self._token = None
        if error is not None:
            self.fail(error)

    def fail(self, error: BaseException | str) -> None:
        """Record what failed in the endpoint's own code; the trace's status is "error"."""
        text = describe(error) if isinstance(error, BaseException) else error
        self.error = text[:MAX_TEXT]

    def end(self) -> None:
        """Stop the clock. Spans that start afterwards are not recorded."""
        self._recorder.end()

    @property
    def spans(self) -> list[Span]:
        """The top-level spans, in the order they started."""
        return sorted(self._recorder.root.children, key=lambda span: span.start_ns)

    @property
    def dropped_spans(self) -> int:
        return self._recorder.dropped

    def to_dict(self) -> dict[str, Any]:
        """The trace in the schema's JSON (``trace.schema.json``)."""
        recorder = self._recorder
        until_ns = recorder.ended_ns or perf_counter_ns()
        spans = [span.to_dict(recorder.origin_ns, until_ns) for span in self.spans]
        out: dict[str, Any] = {"format": FORMAT}
        if self.service is not None:
            out["service"] = self.service[:MAX_SERVICE]
        if self.endpoint is not None:
            out["endpoint"] = self.endpoint[:MAX_ENDPOINT]
        out["started_at"] = self._started_at.isoformat(timespec="milliseconds").replace(
            "+00:00", "Z"
        )
        out["duration_ms"] = milliseconds(until_ns - recorder.origin_ns)
        out["status"] = "error" if self.error is not None else worst_status(spans)
        if self.error is not None:
            out["error"] = self.error
        attributes = dict(self.attributes)
        if recorder.dropped:
            attributes["probe.dropped_spans"] = recorder.dropped
        if self.result is not None:
            try:
                json.dumps(self.result, allow_nan=False)
            except (TypeError, ValueError, RecursionError) as error:
                attributes["probe.result_not_json"] = describe(error)
            else:
                out["result"] = self.result
        if attributes:
            out["attributes"] = flat_attributes(attributes)
        out["spans"] = spans
        return out


def worst_status(spans: Iterable[dict[str, Any]]) -> Status:
    """The worst status among serialised spans and all their children; "ok" for none.
    Children count: a failed call that its caller caught is still a failed dependency."""
    worst: Status | None = None
    pending = list(spans)
    while pending:
        span = pending.pop()
        status: Status = span["status"]
        if worst is None or SEVERITY[status] > SEVERITY[worst]:
            worst = status
        pending.extend(span.get("children", ()))
    return worst or "ok"
