"""Values made storable as JSON everywhere the platform keeps them.

``pydantic_core.to_jsonable_python`` does the conversion (dates to ISO 8601,
decimals and UUIDs to text, sets to lists, bytes to hex); what it leaves, this
finishes: PostgreSQL's jsonb refuses ``\\u0000`` in text and JSON has no NaN or
infinity, so those become text too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pydantic_core import to_jsonable_python


def json_safe(value: Any, *, fallback: Callable[[Any], Any] = str) -> Any:
    """``value`` as plain JSON types; ``fallback`` renders types pydantic does not know."""
    return _finish(to_jsonable_python(value, bytes_mode="hex", fallback=fallback))


def _finish(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finish(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finish(item) for item in value]
    return value
