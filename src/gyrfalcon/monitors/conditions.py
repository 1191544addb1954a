"""Turn one observation into a verdict: pass, fail (dirty data) or error.

Conditions are data (a value source, an operator, a threshold), never code:
nothing a user writes is evaluated. A value that cannot be compared (text where
a number is needed, a missing column or JSON path) is an ERROR with the reason,
not a silent pass.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from gyrfalcon.monitors.checks.base import Observation
from gyrfalcon.monitors.jsonpath import parse_json_path
from gyrfalcon.monitors.schemas import Condition, Operator, RunOutcome, ValueSource

_COMPARE: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.EQ: operator.eq,
    Operator.NE: operator.ne,
}
_TEXT_LIMIT = 200


@dataclass(frozen=True)
class Verdict:
    outcome: RunOutcome
    value: float | None = None
    value_text: str | None = None
    error: str | None = None


class _Unusable(Exception):
    """The observation has no usable value; the message says why."""


def describe(condition: Condition) -> str:
    """The condition in words, for lists, alerts and templates ("row count > 0")."""
    if condition.kind == "any_rows":
        text = "any row returned"
    else:
        source = {
            ValueSource.FIRST_CELL: "first cell",
            ValueSource.ROW_COUNT: "row count",
            ValueSource.COLUMN: f"column {condition.column}",
            ValueSource.JSON_PATH: f"{condition.json_path}",
            ValueSource.STATUS_CODE: "status code",
        }[condition.value]
        text = f"{source} {condition.operator.value} {_shown(condition.threshold)}"
    if condition.consecutive > 1:
        text += f", {condition.consecutive} times in a row"
    return text


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def evaluate(condition: Condition, observation: Observation) -> Verdict:
    if condition.kind == "any_rows":
        noun = "row" if observation.row_count == 1 and not observation.rows_capped else "rows"
        text = f"{observation.row_count}{'+' if observation.rows_capped else ''} {noun}"
        outcome = RunOutcome.FAIL if observation.row_count > 0 else RunOutcome.PASS
        return Verdict(outcome, float(observation.row_count), text)
    try:
        raw = _pick(condition, observation)
    except _Unusable as exc:
        return Verdict(RunOutcome.ERROR, error=str(exc))
    threshold = condition.threshold
    if isinstance(threshold, str):
        text = _text(raw)
        failing = _COMPARE[condition.operator](text, threshold)
        return Verdict(RunOutcome.FAIL if failing else RunOutcome.PASS, None, text)
    number = _number(raw)
    if number is None:
        return Verdict(
            RunOutcome.ERROR,
            value_text=_text(raw),
            error=f"the value {_text(raw)!r} is not a number, and '{condition.operator}' "
            f"compares numbers",
        )
    assert threshold is not None
    failing = _COMPARE[condition.operator](number, float(threshold))
    return Verdict(RunOutcome.FAIL if failing else RunOutcome.PASS, number, _shown(number))


def _pick(condition: Condition, observation: Observation) -> Any:
    source = condition.value
    if source == ValueSource.ROW_COUNT:
        if observation.rows_capped:
            raise _Unusable(
                f"more than {observation.row_count} rows: count them in SQL "
                "(SELECT count(*) ...) rather than reading them all"
            )
        return observation.row_count
    if source == ValueSource.STATUS_CODE:
        return observation.status_code
    if source == ValueSource.JSON_PATH:
        return _json_value(condition, observation)
    if observation.first_row is None:
        raise _Unusable("the query returned no rows, so there is no value to compare")
    if source == ValueSource.FIRST_CELL:
        return observation.first_row[0] if observation.first_row else None
    assert condition.column is not None
    if condition.column not in observation.columns:
        found = ", ".join(observation.columns) or "none"
        raise _Unusable(f"the result has no column '{condition.column}' (columns: {found})")
    return observation.first_row[observation.columns.index(condition.column)]


def _json_value(condition: Condition, observation: Observation) -> Any:
    assert condition.json_path is not None
    if not observation.body_is_json:
        raise _Unusable(
            f"the response (HTTP {observation.status_code}) is not JSON, "
            f"so {condition.json_path} has no value"
        )
    matches = parse_json_path(condition.json_path).find(observation.json)
    if not matches:
        raise _Unusable(f"nothing in the response at {condition.json_path}")
    return matches[0].value


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else None
    if isinstance(raw, str):
        try:
            parsed = Decimal(raw.strip())
        except InvalidOperation:
            return None
        return float(parsed) if parsed.is_finite() else None
    return None


def _text(raw: Any) -> str:
    if raw is None:
        return "NULL"
    if isinstance(raw, float):
        return _shown(raw)
    return str(raw)[:_TEXT_LIMIT]
