"""Run a tester's probe under a hard deadline and turn what happened into a result.

A tester opens a client through ``catalog.clients`` and probes with it; this is
where the probe's outcome, or its failure in the words of ``core.failures``,
becomes the :class:`ConnectionTestResult` the API returns.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.core.failures import CheckFailed, Classifier, Target, describe, redact, root_cause


@dataclass
class Outcome:
    """A successful check: what to tell the engineer and what to show beside it."""

    message: str
    details: dict[str, Any] = field(default_factory=dict)


def _redact_value(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: _redact_value(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item, secrets) for item in value]
    return value


def _redact_details(details: dict[str, Any], secrets: tuple[str, ...]) -> dict[str, Any]:
    return {key: _redact_value(value, secrets) for key, value in details.items()}


async def run_check(
    probe: Callable[[], Awaitable[Outcome]],
    *,
    target: Target,
    limit: float,
    classify: Classifier | None = None,
) -> ConnectionTestResult:
    """Run ``probe`` under a hard deadline of ``limit`` seconds and turn its outcome into a result.

    The deadline is enforced here rather than trusted to drivers, whose own
    timeouts cover some phases and not others. Nothing but cancellation of the
    caller escapes: a system being down is a result.
    """
    started = time.perf_counter()
    try:
        async with asyncio.timeout(limit):
            outcome = await probe()
    except CheckFailed as failure:
        return ConnectionTestResult(
            ok=False,
            latency_ms=None,
            message=redact(failure.message, target.secrets),
            details=_redact_details(failure.details, target.secrets),
        )
    except Exception as exc:
        return ConnectionTestResult(
            ok=False,
            latency_ms=None,
            message=describe(exc, target, timeout=limit, classify=classify),
            details={"error": root_cause(exc)},
        )
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return ConnectionTestResult(
        ok=True,
        latency_ms=latency_ms,
        message=redact(outcome.message, target.secrets),
        details=_redact_details(outcome.details, target.secrets),
    )
