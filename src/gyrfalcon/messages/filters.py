"""Structured filters on decoded fields: (field, operator, value) as data, evaluated in
Python on decoded rows, never compiled or evaluated as code.

Comparisons read numbers as numbers when both sides are numbers, and text otherwise;
a path reaching several values (a repeated field) matches when any of them does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError

from gyrfalcon.core.errors import InvalidInput
from gyrfalcon.messages.protos import paths

MAX_FILTERS = 10


class Operator(StrEnum):
    EQ = "eq"
    NE = "ne"
    CONTAINS = "contains"
    PREFIX = "prefix"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    EXISTS = "exists"
    MISSING = "missing"


class FieldFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    op: Operator = Operator.EQ
    value: Annotated[str, StringConstraints(max_length=1000)] | None = None


_FILTERS = TypeAdapter(list[FieldFilter])


def parse(raw: str | None) -> list[FieldFilter]:
    """The ``where`` query parameter: a JSON list of filters."""
    if not raw:
        return []
    try:
        found = _FILTERS.validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise InvalidInput(
            "where",
            'a JSON list of {"field", "op", "value"} filters'
            + (f" ({where}: {first['msg']})" if where else f" ({first['msg']})"),
        ) from None
    if len(found) > MAX_FILTERS:
        raise InvalidInput("where", f"at most {MAX_FILTERS} filters")
    for index, item in enumerate(found):
        if item.op not in (Operator.EXISTS, Operator.MISSING) and item.value is None:
            raise InvalidInput(f"where.{index}.value", f"'{item.op.value}' compares with a value")
    return found


def check_fields(filters: list[FieldFilter], known: set[str] | None) -> None:
    """A 422 for a filter on a field the message type does not have (``known`` is None
    when the format has no schema to check against, JSON say)."""
    if known is None:
        return
    # A map's paths read "labels.*": any key stands for the star.
    patterns = [
        re.compile(
            "^" + r"\.".join("[^.]+" if p == "*" else re.escape(p) for p in path.split(".")) + "$"
        )
        for path in known
    ]
    for index, item in enumerate(filters):
        if not any(pattern.match(item.field) for pattern in patterns):
            raise InvalidInput(
                f"where.{index}.field",
                f"the message type has no field '{item.field}'; pick one from the field list",
            )


def matcher(filters: list[FieldFilter]) -> Callable[[Any], bool]:
    """A predicate over a decoded value (JSON) that holds when every filter does."""
    tests = [(paths.json_extractor(item.field), _test(item)) for item in filters]

    def matches(decoded: Any) -> bool:
        return all(test(extract(decoded)) for extract, test in tests)

    return matches


def _test(item: FieldFilter) -> Callable[[list[str]], bool]:
    wanted = item.value or ""
    op = item.op
    if op == Operator.EXISTS:
        return bool
    if op == Operator.MISSING:
        return lambda values: not values
    if op == Operator.NE:
        return lambda values: wanted not in values
    compare = _COMPARISONS[op]
    return lambda values: any(compare(value, wanted) for value in values)


def _number(text: str) -> float | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _ordered(check: Callable[[Any, Any], bool]) -> Callable[[str, str], bool]:
    def compare(value: str, wanted: str) -> bool:
        left, right = _number(value), _number(wanted)
        if left is not None and right is not None:
            return check(left, right)
        return check(value, wanted)

    return compare


_COMPARISONS: dict[Operator, Callable[[str, str], bool]] = {
    Operator.EQ: _ordered(lambda a, b: a == b),
    Operator.CONTAINS: lambda value, wanted: wanted.lower() in value.lower(),
    Operator.PREFIX: lambda value, wanted: value.startswith(wanted),
    Operator.GT: _ordered(lambda a, b: a > b),
    Operator.GTE: _ordered(lambda a, b: a >= b),
    Operator.LT: _ordered(lambda a, b: a < b),
    Operator.LTE: _ordered(lambda a, b: a <= b),
}
