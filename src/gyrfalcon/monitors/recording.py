"""Store a run and everything it causes, in one transaction.

The result, the monitor's new state, the timeline event and the queued
notifications commit together (or not at all), and for a scheduled run so does
the move of its schedule slot, guarded by the run's lease: a process that lost
its lease cannot move a slot another process now owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import Service
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.leases import LeaseColumns, held
from gyrfalcon.core.orm import utcnow
from gyrfalcon.monitors.conditions import Verdict, describe
from gyrfalcon.monitors.models import Monitor, MonitorEvent, MonitorResult, MonitorSchedule
from gyrfalcon.monitors.runner import Report
from gyrfalcon.monitors.schedule import next_run_after
from gyrfalcon.monitors.schemas import Condition, EventKind, RunOutcome, State
from gyrfalcon.monitors.service import add_event
from gyrfalcon.monitors.states import Current, Rules, Transition, decide
from gyrfalcon.notify import service as notify
from gyrfalcon.notify.service import AlertContext, AlertSource, Event, Fact, Severity, display

MONITOR_EVENT_SOURCE = "monitor_event"
_ALERT_EVENTS: dict[EventKind, Event] = {
    EventKind.ALERTING: "alerting",
    EventKind.ERROR: "error",
    EventKind.RECOVERED: "recovered",
    EventKind.REMINDER: "reminder",
}
_SEVERITIES: dict[str, Severity] = {"critical": "critical", "warning": "warning", "info": "info"}
SCHEDULE_LEASE = LeaseColumns(
    MonitorSchedule.monitor_id, MonitorSchedule.lease_token, MonitorSchedule.lease_until
)


@dataclass(frozen=True)
class Delivery:
    """What alerts need from the platform's configuration."""

    box: SecretBox
    console_url: str
    deadline: timedelta


async def release_slot(
    session: AsyncSession, monitor: Monitor | None, *, monitor_id: int, token: str
) -> None:
    """Move the slot to the first one after now and end the lease (missed slots are
    skipped: after downtime a monitor runs once, then keeps its rhythm)."""
    values: dict[str, object] = {"lease_token": None, "lease_until": None}
    if monitor is not None:
        values["next_run_at"] = next_run_after(
            monitor.schedule, monitor_id=monitor_id, after=utcnow()
        )
    await session.execute(
        update(MonitorSchedule)
        .where(held(SCHEDULE_LEASE, monitor_id, token))
        .values(values)
        .execution_options(synchronize_session=False)
    )


async def record_run(
    session: AsyncSession,
    *,
    monitor_id: int,
    report: Report,
    trigger: str,
    delivery: Delivery,
    scheduled_for: datetime | None = None,
    lease_token: str | None = None,
) -> MonitorResult | None:
    """Store the run; None when the monitor was deleted while it ran."""
    monitor = await session.get(Monitor, monitor_id)
    if lease_token is not None:
        await release_slot(session, monitor, monitor_id=monitor_id, token=lease_token)
    if monitor is None:
        await session.commit()
        return None
    state = State(monitor.state)
    if monitor.enabled:
        state = await _advance(session, monitor, report, delivery)
    result = MonitorResult(
        **_result_row(
            monitor_id, report, trigger=trigger, state=state.value, scheduled_for=scheduled_for
        )
    )
    session.add(result)
    await session.commit()
    return result


def transition_for(monitor: Monitor, verdict: Verdict, *, now: datetime) -> Transition:
    """What the verdict does to the monitor as it is (or was when its run was claimed)."""
    return decide(
        Current(
            state=State(monitor.state),
            failing_streak=monitor.failing_streak,
            last_notified_at=monitor.last_notified_at,
            acknowledged=monitor.acknowledged_at is not None,
            muted_until=monitor.muted_until,
        ),
        verdict.outcome,
        Rules(
            consecutive=monitor.condition.get("consecutive", 1),
            on_error=monitor.notify.get("on_error", True),
            renotify_minutes=monitor.notify.get("renotify_minutes"),
        ),
        now=now,
    )


@dataclass(frozen=True)
class ScheduledRun:
    """A finished scheduled run, with the monitor as it was loaded when claimed."""

    monitor: Monitor
    report: Report
    scheduled_for: datetime
    token: str

    def is_quiet(self) -> bool:
        """True when the run only updates the monitor's last value: same state, no event,
        nothing to announce (most runs of a healthy system)."""
        if not self.monitor.enabled:
            return False
        transition = transition_for(self.monitor, self.report.verdict, now=utcnow())
        return transition.event is None and transition.state.value == self.monitor.state


def _result_row(
    monitor_id: int, report: Report, *, trigger: str, state: str, scheduled_for: datetime | None
) -> dict[str, object]:
    verdict = report.verdict
    return {
        "monitor_id": monitor_id,
        "trigger": trigger,
        "scheduled_for": scheduled_for,
        "started_at": report.started_at,
        "duration_ms": report.duration_ms,
        "state": state,
        "outcome": verdict.outcome.value,
        "value": verdict.value,
        "value_text": verdict.value_text,
        "error": verdict.error,
        "sample": report.sample,
    }


async def record_quiet_runs(session: AsyncSession, runs: list[ScheduledRun]) -> None:
    """Store quiet runs (see :meth:`ScheduledRun.is_quiet`) in one transaction of three
    statements, however many there are: at thousands of runs a minute, a round trip
    per row and per run is what would cost the most.

    The monitor update only applies while the state is still the one the decision
    was made on; had a concurrent run-now changed it, that newer state stands.
    """
    now = utcnow()
    await session.execute(
        insert(MonitorResult),
        [
            _result_row(
                run.monitor.id,
                run.report,
                trigger="schedule",
                state=run.monitor.state,
                scheduled_for=run.scheduled_for,
            )
            for run in runs
        ],
    )
    monitors = cast(Table, Monitor.__table__)
    await session.execute(
        update(monitors)
        .where(monitors.c.id == bindparam("b_id"), monitors.c.state == bindparam("b_state"))
        .values(
            failing_streak=bindparam("b_streak"),
            last_run_at=bindparam("b_run_at"),
            last_value=bindparam("b_value"),
            last_value_text=bindparam("b_value_text"),
            last_error=bindparam("b_error"),
        ),
        [
            {
                "b_id": run.monitor.id,
                "b_state": run.monitor.state,
                "b_streak": transition_for(run.monitor, run.report.verdict, now=now).failing_streak,
                "b_run_at": run.report.started_at,
                "b_value": run.report.verdict.value,
                "b_value_text": run.report.verdict.value_text,
                "b_error": run.report.verdict.error,
            }
            for run in runs
        ],
    )
    schedules = cast(Table, MonitorSchedule.__table__)
    await session.execute(
        update(schedules)
        .where(
            schedules.c.monitor_id == bindparam("b_id"),
            schedules.c.lease_token == bindparam("b_token"),
        )
        .values(next_run_at=bindparam("b_next"), lease_token=None, lease_until=None),
        [
            {
                "b_id": run.monitor.id,
                "b_token": run.token,
                "b_next": next_run_after(
                    run.monitor.schedule, monitor_id=run.monitor.id, after=now
                ),
            }
            for run in runs
        ],
    )
    await session.commit()


async def _advance(
    session: AsyncSession, monitor: Monitor, report: Report, delivery: Delivery
) -> State:
    verdict = report.verdict
    condition = Condition.model_validate(monitor.condition)
    now = utcnow()
    before = State(monitor.state)
    transition = transition_for(monitor, verdict, now=now)
    if transition.state != before:
        monitor.state_since = now
    monitor.state = transition.state.value
    monitor.failing_streak = transition.failing_streak
    monitor.last_run_at = report.started_at
    monitor.last_value = verdict.value
    monitor.last_value_text = verdict.value_text
    monitor.last_error = verdict.error
    if not transition.keeps_acknowledgement:
        monitor.acknowledged_at = monitor.acknowledged_by = None
    if transition.event is not None:
        event = add_event(
            session,
            monitor,
            transition.event,
            from_state=before.value,
            to_state=transition.state.value,
            message=_message(condition, verdict.outcome, verdict.value_text, verdict.error),
        )
        if transition.notify:
            await _notify(session, monitor, event, report, condition, before, delivery, now)
    return transition.state


def _message(
    condition: Condition, outcome: RunOutcome, value_text: str | None, error: str | None
) -> str:
    if outcome == RunOutcome.ERROR:
        return error or "the check failed"
    shown = value_text if value_text is not None else "no value"
    verb = "holds" if outcome == RunOutcome.FAIL else "no longer holds"
    return f"{describe(condition)} {verb} (value {shown})"


def alert_details(condition: Condition, verdict: Verdict) -> dict[str, Any]:
    """What a monitor's alert says beyond its state: the condition as its summary, the
    value it read, and the threshold, as facts for messages and values for templates."""
    threshold = condition.threshold if isinstance(condition.threshold, float | int) else None
    threshold = float(threshold) if threshold is not None else None
    value = verdict.value if verdict.value is not None else verdict.value_text
    summary = describe(condition)
    facts = [Fact("Condition", summary)]
    facts += [
        Fact(name, display(shown), short=True)
        for name, shown in (("Value", value), ("Threshold", threshold))
        if shown is not None
    ]
    return {
        "summary": summary,
        "value": value,
        "facts": tuple(facts),
        "values": {"threshold": threshold, "condition": summary},
    }


async def _notify(
    session: AsyncSession,
    monitor: Monitor,
    event: MonitorEvent,
    report: Report,
    condition: Condition,
    before: State,
    delivery: Delivery,
    now: datetime,
) -> None:
    await session.flush()  # the event's id names the notifications' source
    verdict = report.verdict
    service = await session.get(Service, monitor.service_id)
    context = AlertContext(
        event=_ALERT_EVENTS[EventKind(event.kind)],
        source=AlertSource(module="monitors", kind="monitor", id=monitor.id, name=monitor.name),
        service=service.name if service else "",
        state=monitor.state,
        previous_state=before.value,
        severity=_SEVERITIES[monitor.severity],
        **alert_details(condition, verdict),
        error=verdict.error,
        sample=report.sample or {},
        runbook_url=monitor.runbook_url,
        link=f"{delivery.console_url.rstrip('/')}/monitors/{monitor.id}",
        at=now,
        description=monitor.description,
    )
    queued = await notify.enqueue(
        session,
        box=delivery.box,
        source=MONITOR_EVENT_SOURCE,
        source_id=event.id,
        channel_ids=list(monitor.notify.get("channel_ids", [])),
        emails=list(monitor.notify.get("emails", [])),
        context=context,
        deadline=delivery.deadline,
    )
    event.notified = bool(queued)
    monitor.last_notified_at = now
