"""Export of a search's result as JSON lines or CSV, streamed row by row, so a large
export holds one chunk of rows in memory at a time."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import AsyncIterator
from enum import StrEnum

from gyrfalcon.messages import reading, search
from gyrfalcon.messages.store.base import MessageStore

CSV_COLUMNS = (
    "service",
    "subscription",
    "topic",
    "partition",
    "offset",
    "timestamp",
    "key",
    "schema_version",
    "decode_error",
    "value",
)


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


MEDIA_TYPES = {ExportFormat.JSONL: "application/x-ndjson", ExportFormat.CSV: "text/csv"}


async def lines(
    store: MessageStore,
    plan: search.Plan,
    versions: search.Versions,
    *,
    form: ExportFormat,
    limit: int,
) -> AsyncIterator[str]:
    if form == ExportFormat.CSV:
        yield _csv_line(CSV_COLUMNS)
    sent = 0
    async for item, row, decoded in search.matching(store, plan, versions, after=None, budget=None):
        if item is None:
            continue
        value = decoded.value
        if value is None and row.value is not None:
            value = {"base64": base64_of(row.value)}
        if form == ExportFormat.JSONL:
            document = {
                **item.model_dump(mode="json", exclude={"preview"}),
                "headers": [h.model_dump() for h in reading.headers_of(row)],
                "value": value,
            }
            yield json.dumps(document, ensure_ascii=False) + "\n"
        else:
            yield _csv_line(
                (
                    item.service,
                    item.subscription,
                    item.topic,
                    item.partition,
                    item.offset,
                    item.timestamp.isoformat(),
                    item.key or "",
                    item.schema_version or "",
                    item.decode_error or "",
                    json.dumps(value, ensure_ascii=False) if value is not None else "",
                )
            )
        sent += 1
        if sent >= limit:
            return


def base64_of(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _csv_line(values: tuple[object, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_inert(value) for value in values])
    return buffer.getvalue()


def _inert(value: object) -> object:
    """A cell a spreadsheet will not run: text opening with = + - @ (a formula) gets a
    leading apostrophe, as OWASP's advice on CSV injection has it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
