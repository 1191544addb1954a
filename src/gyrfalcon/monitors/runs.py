"""Run now, preview, and the editor's next-run helper."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog import service as catalog
from gyrfalcon.catalog.service import Datasource
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import InvalidInput, NotFound
from gyrfalcon.core.orm import utcnow
from gyrfalcon.monitors.plans import plan_for, plan_for_definition
from gyrfalcon.monitors.recording import Delivery, record_run
from gyrfalcon.monitors.runner import Runner
from gyrfalcon.monitors.schedule import upcoming
from gyrfalcon.monitors.schemas import (
    MonitorDefinition,
    PreviewRead,
    ResultRead,
    RunOutcome,
    Schedule,
    SchedulePreview,
    State,
)
from gyrfalcon.monitors.service import Located
from gyrfalcon.monitors.states import Current, Rules, decide
from gyrfalcon.monitors.timeline import result_to_read


async def run_now(
    session: AsyncSession, *, located: Located, runner: Runner, delivery: Delivery
) -> ResultRead:
    """Run the saved monitor at once; the result is stored and acts like a scheduled one
    (state, alerts), but the schedule keeps its rhythm."""
    plan = await plan_for(session, located.monitor, box=delivery.box)
    await session.commit()  # no transaction stays open while the check runs
    report = await runner.run(plan)
    result = await record_run(
        session,
        monitor_id=located.monitor.id,
        report=report,
        trigger="manual",
        delivery=delivery,
    )
    if result is None:
        raise NotFound(f"Monitor {located.monitor.id} was deleted while it ran.")
    return result_to_read(result)


async def preview(
    session: AsyncSession,
    *,
    definition: MonitorDefinition,
    runner: Runner,
    box: SecretBox,
    stored_secret_headers: dict[str, str],
) -> PreviewRead:
    """Run an unsaved definition once: nothing is stored and nobody is alerted. The state
    shown is the one a new monitor would take after this run."""
    service = await catalog.get_service(session, name=definition.service)
    if definition.datasource and not await _has_datasource(
        session, service.id, definition.datasource
    ):
        raise InvalidInput(
            "datasource",
            f"service '{service.name}' has no datasource named '{definition.datasource}'",
        )
    plan = await plan_for_definition(
        session, definition, service=service, box=box, stored_secret_headers=stored_secret_headers
    )
    await session.commit()
    report = await runner.run(plan)
    verdict = report.verdict
    transition = decide(
        Current(State.PENDING, 0, None, acknowledged=False, muted_until=None),
        verdict.outcome,
        Rules(definition.condition.consecutive, on_error=True, renotify_minutes=None),
        now=utcnow(),
    )
    return PreviewRead(
        duration_ms=report.duration_ms,
        outcome=RunOutcome(verdict.outcome),
        state=transition.state,
        value=verdict.value,
        value_text=verdict.value_text,
        error=verdict.error,
        sample=report.sample,
    )


async def _has_datasource(session: AsyncSession, service_id: int, name: str) -> bool:
    found = await session.scalar(
        select(Datasource.id).where(Datasource.service_id == service_id, Datasource.name == name)
    )
    return found is not None


def schedule_preview(schedule: Schedule, *, monitor_id: int | None, count: int) -> SchedulePreview:
    """The next ``count`` run times; interval slots depend on the monitor id (its phase),
    so an unsaved monitor shows the rhythm with an arbitrary phase."""
    return SchedulePreview(
        next_runs=upcoming(
            schedule.model_dump(exclude_none=True),
            monitor_id=monitor_id or 0,
            after=utcnow(),
            count=count,
        )
    )
