"""The trace format's closed sets (span kinds, statuses) and how an exception becomes a
status and a message, so that spans, checks and the trace word failures the same way."""

from __future__ import annotations

from typing import Final, Literal, get_args

Kind = Literal["internal", "db", "http", "rpc", "cache", "queue", "storage", "search", "other"]
Status = Literal["ok", "error", "timeout", "skipped"]

KINDS: Final = frozenset(get_args(Kind))
MAX_TEXT: Final = 10_000
"""The schema's limit on a string attribute and on an error message."""

SEVERITY: Final[dict[Status, int]] = {"skipped": 0, "ok": 1, "timeout": 2, "error": 3}
"""Which status wins when several are summed up. A skipped span ranks below ok: it did
not run, so it neither spoils nor vouches for the trace; a trace is "skipped" only when
all its spans were."""


class CheckFailed(Exception):
    """Raise to fail the current span or check with exactly this message ("HTTP 503"),
    rather than the "ExceptionType: message" an unexpected exception gets."""


class CheckSkipped(Exception):
    """Raise to mark the current span or check as skipped, the message saying why
    ("boto3 is not installed")."""


def check_kind(kind: str) -> Kind:
    """``kind`` when the schema knows it; a ValueError names the allowed ones, at the
    place the span is declared rather than in the platform's validation much later."""
    if kind not in KINDS:
        raise ValueError(f"span kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    return kind  # type: ignore[return-value]  # membership just checked


def describe(error: BaseException) -> str:
    """ "ExceptionType: message" (the type alone when there is no message), capped to the
    schema's limit."""
    message = str(error)
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text[:MAX_TEXT]


def outcome_of(error: BaseException) -> tuple[Status, str]:
    """The status and message an exception leaving a span or a check stands for. A
    TimeoutError (socket, asyncio and client timeouts all are one) is a "timeout"."""
    if isinstance(error, CheckSkipped):
        return "skipped", str(error)[:MAX_TEXT]
    if isinstance(error, CheckFailed):
        return "error", str(error)[:MAX_TEXT]
    if isinstance(error, TimeoutError):
        return "timeout", describe(error)
    return "error", describe(error)
