"""Run one monitor once: the check under its hard limits, then the condition.

One :class:`Runner` per process serves the scheduler, run-now and preview, so
``monitor_concurrency`` bounds everything this process sends to watched
systems. The semaphore is taken per run: a slow datasource holds at most the
slots of its own runs, never the others' beyond that bound.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime

from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.sqlite_files import SqlitePolicy
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.settings import Settings
from gyrfalcon.monitors.checks.base import CheckError, Limits, Observation
from gyrfalcon.monitors.checks.http import HttpCheck
from gyrfalcon.monitors.checks.sql import SqlCheck
from gyrfalcon.monitors.conditions import Verdict, evaluate
from gyrfalcon.monitors.schemas import Condition, HttpRequest, MonitorType, RunOutcome

# Beyond the check's own limit: the answer comes even if a driver ignores its timeouts.
_GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class Plan:
    """Everything one run needs, loaded from the database beforehand."""

    type: MonitorType
    condition: Condition
    timeout: float
    query: str | None = None
    datasource: DatasourceConfig | None = None
    datasource_key: tuple[int, object] | None = None
    missing: str | None = None
    """Why the run cannot even start (e.g. its datasource was deleted)."""
    base_url: str | None = None
    http: HttpRequest | None = None
    secret_headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    started_at: datetime
    duration_ms: float
    verdict: Verdict
    sample: dict[str, object] | None


class Runner:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._slots = asyncio.Semaphore(settings.monitor_concurrency)
        self._sql = SqlCheck(max_workers=settings.monitor_concurrency)
        self._http = HttpCheck()
        self._sqlite = SqlitePolicy.from_settings(settings)

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
        limits = self.limits(plan.timeout)
        if plan.type == MonitorType.SQL:
            assert plan.datasource and plan.datasource_key and plan.query
            try:
                # Again at every run: the rule may be newer than the datasource.
                self._sqlite.check(plan.datasource)
            except FieldError as exc:
                raise CheckError(f"datasource {exc.field}: {exc}") from exc
            return await self._sql.run(
                plan.datasource, cache_key=plan.datasource_key, query=plan.query, limits=limits
            )
        assert plan.http is not None
        if not plan.base_url:
            raise CheckError("the service has no base_url: set it to run HTTP monitors")
        return await self._http.run(
            base_url=plan.base_url,
            method=plan.http.method,
            path=plan.http.path,
            headers={**plan.http.headers, **plan.secret_headers},
            body=plan.http.body,
            limits=limits,
        )

    async def aclose(self) -> None:
        self._sql.close()
        await self._http.aclose()


def runner_of(shared: dict[str, object], settings: Settings) -> Runner:
    """The process's runner, made on first use."""
    runner = shared.get("monitors.runner")
    if runner is None:
        runner = shared["monitors.runner"] = Runner(settings)
    assert isinstance(runner, Runner)
    return runner
