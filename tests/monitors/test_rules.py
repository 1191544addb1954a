"""The pure rules of monitors: schedule slots, conditions, and the alert state machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gyrfalcon.monitors.checks.base import Observation
from gyrfalcon.monitors.conditions import describe, evaluate
from gyrfalcon.monitors.schedule import next_run_after, upcoming, validate_cron
from gyrfalcon.monitors.schemas import Condition, EventKind, RunOutcome, State
from gyrfalcon.monitors.states import Current, Rules, decide

NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)


# --- schedule -----------------------------------------------------------------------------


def test_interval_slots_keep_their_rhythm_and_skip_missed_ones() -> None:
    every = {"every_seconds": 10}
    first = next_run_after(every, monitor_id=5, after=NOW)
    assert NOW < first <= NOW + timedelta(seconds=10)
    assert next_run_after(every, monitor_id=5, after=first) == first + timedelta(seconds=10)
    # After an hour of downtime the next slot is the first one after now: one run, no burst.
    later = NOW + timedelta(hours=1, seconds=3)
    resumed = next_run_after(every, monitor_id=5, after=later)
    assert later < resumed <= later + timedelta(seconds=10)
    assert (resumed - first).total_seconds() % 10 == 0


def test_interval_phases_spread_monitors_over_the_interval() -> None:
    slots = {
        next_run_after({"every_seconds": 10}, monitor_id=i, after=NOW).microsecond // 100_000
        + next_run_after({"every_seconds": 10}, monitor_id=i, after=NOW).second % 10 * 10
        for i in range(1, 201)
    }
    assert len(slots) > 50  # 200 monitors land on many different tenths of the interval


def test_cron_runs_in_its_time_zone() -> None:
    runs = upcoming(
        {"cron": "0 9 * * 1-5", "timezone": "Europe/Berlin"}, monitor_id=1, after=NOW, count=3
    )
    # 2026-11-27 is a Friday: next are Monday to Wednesday at 09:00 Berlin (08:00 UTC).
    assert [r.isoformat() for r in runs] == [
        "2026-11-30T08:00:00+00:00",
        "2026-12-01T08:00:00+00:00",
        "2026-12-02T08:00:00+00:00",
    ]


@pytest.mark.parametrize("expression", ["* * * *", "61 * * * *", "* * * * * *", "nonsense"])
def test_bad_cron_is_refused_with_a_reason(expression: str) -> None:
    with pytest.raises(ValueError, match="cron"):
        validate_cron(expression)


# --- conditions -----------------------------------------------------------------------


def _rows(columns: list[str], *rows: list[object], capped: bool = False) -> Observation:
    return Observation(
        columns=columns,
        first_row=list(rows[0]) if rows else None,
        row_count=len(rows),
        rows_capped=capped,
    )


def test_first_cell_threshold() -> None:
    condition = Condition(value="first_cell", operator=">", threshold=0)
    assert evaluate(condition, _rows(["n"], [3])).outcome == RunOutcome.FAIL
    passed = evaluate(condition, _rows(["n"], [0]))
    assert (passed.outcome, passed.value, passed.value_text) == (RunOutcome.PASS, 0.0, "0")
    assert evaluate(condition, _rows(["n"], ["12.5"])).value == 12.5
    assert describe(condition) == "first cell > 0"


def test_non_numeric_value_is_an_error_with_the_reason() -> None:
    verdict = evaluate(Condition(operator=">=", threshold=1), _rows(["s"], ["abc"]))
    assert verdict.outcome == RunOutcome.ERROR
    assert verdict.error is not None and "'abc' is not a number" in verdict.error


def test_null_and_no_rows_are_errors() -> None:
    assert evaluate(Condition(), _rows(["n"], [None])).outcome == RunOutcome.ERROR
    verdict = evaluate(Condition(), _rows(["n"]))
    assert verdict.error == "the query returned no rows, so there is no value to compare"


def test_named_column_and_missing_column() -> None:
    condition = Condition(value="column", column="late", operator=">=", threshold=2)
    assert evaluate(condition, _rows(["id", "late"], [1, 2])).outcome == RunOutcome.FAIL
    missing = evaluate(condition, _rows(["id"], [1]))
    assert missing.error == "the result has no column 'late' (columns: id)"


def test_row_count_and_any_rows() -> None:
    assert evaluate(Condition(value="row_count", threshold=1), _rows(["a"], [1], [2])).value == 2
    any_rows = Condition(kind="any_rows")
    assert evaluate(any_rows, _rows(["a"])).outcome == RunOutcome.PASS
    assert evaluate(any_rows, _rows(["a"], [1])).outcome == RunOutcome.FAIL
    capped = evaluate(Condition(value="row_count", threshold=1), _rows(["a"], [1], capped=True))
    assert capped.outcome == RunOutcome.ERROR and "count them in SQL" in (capped.error or "")


def test_text_equality_threshold() -> None:
    condition = Condition(operator="!=", threshold="green")
    assert evaluate(condition, _rows(["s"], ["red"])).outcome == RunOutcome.FAIL
    assert evaluate(condition, _rows(["s"], ["green"])).outcome == RunOutcome.PASS
    with pytest.raises(ValueError, match="compares numbers"):
        Condition(operator=">", threshold="green")


def test_json_path_and_status_code() -> None:
    body = {"queue": {"depth": 42}, "items": [{"late": 3}]}
    observation = Observation(status_code=200, json=body, body_is_json=True)
    depth = Condition(value="json_path", json_path="$.queue.depth", threshold=40)
    assert evaluate(depth, observation).value == 42
    first_item = Condition(
        value="json_path", json_path="$.items[0].late", operator="<", threshold=5
    )
    assert evaluate(first_item, observation).outcome == RunOutcome.FAIL
    nothing = evaluate(Condition(value="json_path", json_path="$.nope"), observation)
    assert nothing.error == "nothing in the response at $.nope"
    status = Condition(value="status_code", operator=">=", threshold=500)
    assert evaluate(status, Observation(status_code=503)).outcome == RunOutcome.FAIL
    not_json = evaluate(depth, Observation(status_code=502, body_is_json=False))
    assert not_json.error is not None and "not JSON" in not_json.error
    with pytest.raises(ValueError, match="invalid JSON path"):
        Condition(value="json_path", json_path="$.[")


# --- state machine --------------------------------------------------------------------

RULES = Rules(consecutive=1, on_error=True, renotify_minutes=None)


def _current(state: State, **changes: object) -> Current:
    values: dict[str, object] = {
        "state": state,
        "failing_streak": 0,
        "last_notified_at": None,
        "acknowledged": False,
        "muted_until": None,
    }
    values.update(changes)
    return Current(**values)  # type: ignore[arg-type]


def test_entering_alerting_and_recovering_notify() -> None:
    alert = decide(_current(State.OK), RunOutcome.FAIL, RULES, now=NOW)
    assert (alert.state, alert.event, alert.notify) == (State.ALERTING, EventKind.ALERTING, True)
    still = decide(_current(State.ALERTING, failing_streak=1), RunOutcome.FAIL, RULES, now=NOW)
    assert (still.state, still.event, still.notify) == (State.ALERTING, None, False)
    back = decide(_current(State.ALERTING, failing_streak=3), RunOutcome.PASS, RULES, now=NOW)
    assert (back.state, back.event, back.notify) == (State.OK, EventKind.RECOVERED, True)
    assert back.failing_streak == 0


def test_consecutive_failures_wait_in_pending() -> None:
    rules = Rules(consecutive=3, on_error=True, renotify_minutes=None)
    first = decide(_current(State.OK), RunOutcome.FAIL, rules, now=NOW)
    assert (first.state, first.failing_streak, first.notify) == (State.PENDING, 1, False)
    second = decide(_current(State.PENDING, failing_streak=1), RunOutcome.FAIL, rules, now=NOW)
    assert (second.state, second.event) == (State.PENDING, None)
    third = decide(_current(State.PENDING, failing_streak=2), RunOutcome.FAIL, rules, now=NOW)
    assert (third.state, third.notify) == (State.ALERTING, True)
    calm = decide(_current(State.PENDING, failing_streak=2), RunOutcome.PASS, rules, now=NOW)
    assert (calm.state, calm.event, calm.notify) == (State.OK, None, False)


def test_error_alerts_only_when_asked() -> None:
    loud = decide(_current(State.OK), RunOutcome.ERROR, RULES, now=NOW)
    assert (loud.state, loud.event, loud.notify) == (State.ERROR, EventKind.ERROR, True)
    quiet_rules = Rules(consecutive=1, on_error=False, renotify_minutes=None)
    quiet = decide(_current(State.OK), RunOutcome.ERROR, quiet_rules, now=NOW)
    assert (quiet.state, quiet.event, quiet.notify) == (State.ERROR, EventKind.ERROR, False)
    # Nobody heard of the error, so nobody hears of its end either.
    healed = decide(_current(State.ERROR), RunOutcome.PASS, quiet_rules, now=NOW)
    assert (healed.event, healed.notify) == (EventKind.RECOVERED, False)


def test_reminders_follow_renotify_and_stop_when_acknowledged() -> None:
    rules = Rules(consecutive=1, on_error=True, renotify_minutes=30)
    recent = _current(
        State.ALERTING, failing_streak=2, last_notified_at=NOW - timedelta(minutes=10)
    )
    assert decide(recent, RunOutcome.FAIL, rules, now=NOW).event is None
    due = _current(State.ALERTING, failing_streak=2, last_notified_at=NOW - timedelta(minutes=31))
    reminder = decide(due, RunOutcome.FAIL, rules, now=NOW)
    assert (reminder.event, reminder.notify) == (EventKind.REMINDER, True)
    acknowledged = _current(
        State.ALERTING,
        failing_streak=2,
        last_notified_at=NOW - timedelta(hours=2),
        acknowledged=True,
    )
    quiet = decide(acknowledged, RunOutcome.FAIL, rules, now=NOW)
    assert quiet.event is None and quiet.keeps_acknowledgement
    assert not decide(acknowledged, RunOutcome.PASS, rules, now=NOW).keeps_acknowledgement


def test_mute_records_events_but_sends_nothing() -> None:
    muted = _current(State.OK, muted_until=NOW + timedelta(hours=1))
    alert = decide(muted, RunOutcome.FAIL, RULES, now=NOW)
    assert (alert.state, alert.event, alert.notify) == (State.ALERTING, EventKind.ALERTING, False)
    expired = _current(State.OK, muted_until=NOW - timedelta(seconds=1))
    assert decide(expired, RunOutcome.FAIL, RULES, now=NOW).notify is True
