"""The alert state machine: from a monitor's state and a run's verdict to its next state.

Pure logic, so every rule is testable without a database:

* a passing run makes the monitor OK; leaving ALERTING or ERROR announces recovery;
* a failing run counts towards ``consecutive``; reaching it enters ALERTING, below it
  the monitor is PENDING (failing, not yet confirmed);
* a failed check enters ERROR, announced only when the monitor asks for it;
* while ALERTING (or ERROR, when announced) a reminder goes out every
  ``renotify_minutes`` unless someone acknowledged the alert;
* a mute keeps every event on the timeline but sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gyrfalcon.monitors.schemas import EventKind, RunOutcome, State

_ANNOUNCED_ENTRY = {State.ALERTING: EventKind.ALERTING, State.ERROR: EventKind.ERROR}


@dataclass(frozen=True)
class Current:
    state: State
    failing_streak: int
    last_notified_at: datetime | None
    acknowledged: bool
    muted_until: datetime | None


@dataclass(frozen=True)
class Rules:
    consecutive: int
    on_error: bool
    renotify_minutes: int | None


@dataclass(frozen=True)
class Transition:
    state: State
    failing_streak: int
    event: EventKind | None
    notify: bool
    """Send the event to the subscribers (False when muted or not announced)."""
    keeps_acknowledgement: bool


def decide(current: Current, outcome: RunOutcome, rules: Rules, *, now: datetime) -> Transition:
    if outcome == RunOutcome.PASS:
        state, streak = State.OK, 0
    elif outcome == RunOutcome.FAIL:
        streak = current.failing_streak + 1
        state = State.ALERTING if streak >= rules.consecutive else State.PENDING
    else:
        state, streak = State.ERROR, 0

    muted = current.muted_until is not None and current.muted_until > now
    event = _event(current.state, state, rules)
    announced = event is not None and _announced(event, current.state, rules)
    if event is None and not muted and _reminder_due(current, state, rules, now=now):
        event, announced = EventKind.REMINDER, True
    return Transition(
        state=state,
        failing_streak=streak,
        event=event,
        notify=announced and not muted,
        keeps_acknowledgement=state == current.state,
    )


def _event(before: State, after: State, rules: Rules) -> EventKind | None:
    if after == before:
        return None
    if after in _ANNOUNCED_ENTRY:
        return _ANNOUNCED_ENTRY[after]
    if after == State.OK and before in (State.ALERTING, State.ERROR):
        return EventKind.RECOVERED
    if after == State.PENDING and before != State.PAUSED:
        return EventKind.PENDING
    return None


def _announced(event: EventKind, before: State, rules: Rules) -> bool:
    if event == EventKind.ALERTING:
        return True
    if event == EventKind.ERROR:
        return rules.on_error
    if event == EventKind.RECOVERED:
        # Recovery is news only to those who heard about the trouble.
        return before == State.ALERTING or rules.on_error
    return False


def _reminder_due(current: Current, state: State, rules: Rules, *, now: datetime) -> bool:
    if rules.renotify_minutes is None or current.acknowledged or state != current.state:
        return False
    if state != State.ALERTING and not (state == State.ERROR and rules.on_error):
        return False
    if current.last_notified_at is None:
        return True
    return now - current.last_notified_at >= timedelta(minutes=rules.renotify_minutes)
