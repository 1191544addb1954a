"""Run one monitor once: the check under its hard limits, then the condition.

The check types are adapters of the ``gyrfalcon.monitor_checks`` entry-point group
(``checks/base.py``), picked by the monitor's type. One :class:`Runner` per process
serves the scheduler, run-now and preview, so
``monitor_concurrency`` bounds everything this process sends to watched
systems. The semaphore is taken per run: a slow datasource holds at most the
slots of its own runs, never the others' beyond that bound.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import load_adapters
from gyrfalcon.core.settings import Settings
from gyrfalcon.monitors.checks.base import (
    CHECKS_GROUP,
    Check,
    CheckError,
    Limits,
    Observation,
    Plan,
)
from gyrfalcon.monitors.conditions import Verdict, evaluate
from gyrfalcon.monitors.schemas import RunOutcome
from gyrfalcon.monitors.settings import MonitorSettings

# Beyond the check's own limit: the answer comes even if a driver ignores its timeouts.
_GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class Report:
    started_at: datetime
    duration_ms: float
    verdict: Verdict
    sample: dict[str, object] | None


class Runner:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings.section(MonitorSettings)
        self._slots = asyncio.Semaphore(self._settings.monitor_concurrency)
        self._checks = load_adapters(CHECKS_GROUP, Check, settings)  # type: ignore[type-abstract]

    def limits(self, timeout: float) -> Limits:
        settings = self._settings
        return Limits(
            timeout=timeout,
            max_rows=settings.monitor_max_rows,
            sample_rows=settings.monitor_sample_rows,
            sample_bytes=settings.monitor_sample_bytes,
            max_response_bytes=settings.monitor_http_max_response_bytes,
        )

    @property
    def free_slots(self) -> int:
        """Runs that could start now without waiting (the scheduler claims no more)."""
        return self._slots._value

    async def run(self, plan: Plan) -> Report:
        async with self._slots:
            started_at = utcnow()
            clock = time.perf_counter()
            try:
                observation = await asyncio.wait_for(
                    self._observe(plan), timeout=plan.timeout + _GRACE_SECONDS
                )
            except CheckError as exc:
                verdict, sample = Verdict(RunOutcome.ERROR, error=exc.message), None
            except TimeoutError:
                verdict = Verdict(RunOutcome.ERROR, error=f"timed out after {plan.timeout:g} s")
                sample = None
            else:
                verdict, sample = evaluate(plan.condition, observation), observation.sample
            duration_ms = (time.perf_counter() - clock) * 1000
        return Report(started_at, duration_ms, verdict, sample or None)

    async def _observe(self, plan: Plan) -> Observation:
        if plan.missing:
            raise CheckError(plan.missing)
        check = self._checks.get(plan.type.value)
        if check is None:
            raise CheckError(f"no check of type '{plan.type.value}' is installed")
        return await check.observe(plan, self.limits(plan.timeout))

    async def aclose(self) -> None:
        for check in self._checks.values():
            await check.aclose()


def runner_of(shared: dict[str, object], settings: Settings) -> Runner:
    """The process's runner, made on first use."""
    runner = shared.get("monitors.runner")
    if runner is None:
        runner = shared["monitors.runner"] = Runner(settings)
    assert isinstance(runner, Runner)
    return runner
