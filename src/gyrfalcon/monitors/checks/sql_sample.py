"""The stored sample of a SQL run: the first rows, cut to fit the sample's byte budget."""

from __future__ import annotations

import json
from typing import Any

from gyrfalcon.monitors.checks.base import Limits, Observation
from gyrfalcon.monitors.checks.sql_rows import Rows

_ELLIPSIS = "…"


def observation(read: Rows, limits: Limits) -> Observation:
    rows = [list(row) for row in read.rows[: limits.sample_rows]]
    sample: dict[str, Any] = {
        "columns": read.columns,
        "rows": rows,
        "truncated": read.capped or read.count > len(rows),
    }
    _fit(sample, limits.sample_bytes)
    return Observation(
        columns=read.columns,
        first_row=read.rows[0] if read.rows else None,
        row_count=read.count,
        rows_capped=read.capped,
        sample=sample,
    )


def _size(sample: dict[str, Any]) -> int:
    # ASCII-escaped, so never less than the UTF-8 bytes the sample is stored as.
    return len(json.dumps(sample))


def _fit(sample: dict[str, Any], max_bytes: int) -> None:
    """Drop trailing rows until the sample fits; cut the cells of a lone row that does not."""
    rows: list[list[Any]] = sample["rows"]
    while len(rows) > 1 and _size(sample) > max_bytes:
        rows.pop()
        sample["truncated"] = True
    if not rows or _size(sample) <= max_bytes:
        return
    sample["truncated"] = True
    # Nested JSON becomes text so that it can be cut like any long value.
    row = [json.dumps(cell) if isinstance(cell, dict | list) else cell for cell in rows[0]]
    rows[0] = row
    ellipsis = len(json.dumps(_ELLIPSIS)) - 2
    while (excess := _size(sample) - max_bytes) > 0:
        longest = max(
            (i for i, cell in enumerate(row) if isinstance(cell, str) and len(cell) > 1),
            key=lambda i: len(row[i]),
            default=None,
        )
        if longest is None:
            # Nothing left to cut (hundreds of columns): the sample keeps the header only.
            sample["rows"] = []
            return
        cell = row[longest]
        room = len(json.dumps(cell)) - excess - ellipsis
        row[longest] = cell[: _longest_prefix(cell, room)] + _ELLIPSIS


def _longest_prefix(text: str, room: int) -> int:
    """How many characters of ``text`` fit in ``room`` characters of JSON, quotes included.

    Escapes make a character take up to 12 JSON characters, so the cut is searched
    for rather than computed.
    """
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(json.dumps(text[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    return low
