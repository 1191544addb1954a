"""Decoding stored messages on read: values into JSON with the schema version that
decoded them at ingest (or another one, asked for), keys and headers into text.

Ingest keeps values raw (ADR 0007); a page decodes only the rows it shows, so this is
where the slow ``MessageToDict`` runs, fifty rows at a time.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.messages.consumer.decoding import header_text, key_text
from gyrfalcon.messages.models import MessageSchemaVersion
from gyrfalcon.messages.protos import descriptors, paths
from gyrfalcon.messages.schemas import Header, ValueFormat
from gyrfalcon.messages.store.base import MessageRow

PREVIEW_CHARS = 300


@dataclass(frozen=True)
class Reader:
    """How one subscription's stored messages read: formats, type, and the descriptor
    sets of the schema versions its rows name."""

    value_format: str
    key_format: str
    message_type: str | None
    versions: dict[int, tuple[int, bytes]]
    """Schema version id to (version number, descriptor set)."""


@dataclass(frozen=True)
class Decoded:
    value: Any
    """The decoded JSON (or text), None when there is nothing or it did not decode."""
    error: str | None
    version: int | None


async def load_versions(session: AsyncSession, ids: set[int]) -> dict[int, tuple[int, bytes]]:
    if not ids:
        return {}
    rows = await session.execute(
        select(
            MessageSchemaVersion.id,
            MessageSchemaVersion.version,
            MessageSchemaVersion.descriptor_set,
        ).where(MessageSchemaVersion.id.in_(ids))
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def decode(reader: Reader, row: MessageRow, *, version_id: int | None = None) -> Decoded:
    """The row's value as JSON; ``version_id`` decodes with another schema version."""
    if row.value is None:
        return Decoded(None, None, None)
    if row.value_size > len(row.value):
        return Decoded(None, row.decode_error, None)
    if reader.value_format == ValueFormat.PROTOBUF:
        return _protobuf(reader, row, version_id or row.schema_version_id)
    if reader.value_format == ValueFormat.JSON:
        try:
            return Decoded(_well_formed(json.loads(row.value)), None, None)
        except ValueError as exc:
            return Decoded(None, f"not JSON: {exc}", None)
    if reader.value_format == ValueFormat.TEXT:
        try:
            return Decoded(row.value.decode("utf-8"), None, None)
        except UnicodeDecodeError as exc:
            return Decoded(None, f"not UTF-8 text: byte {exc.start}", None)
    return Decoded(None, None, None)


def _protobuf(reader: Reader, row: MessageRow, version_id: int | None) -> Decoded:
    found = reader.versions.get(version_id) if version_id is not None else None
    if found is None or reader.message_type is None:
        return Decoded(None, row.decode_error or "its schema version was deleted", None)
    number, descriptor_set = found
    return decode_protobuf(descriptor_set, number, reader.message_type, row.value or b"")


def decode_protobuf(descriptor_set: bytes, number: int, message_type: str, value: bytes) -> Decoded:
    """``value`` as a ``message_type`` of the schema version numbered ``number``, as JSON."""
    try:
        message = descriptors.parse(descriptor_set, message_type, value)
    except descriptors.UnknownMessageType:
        return Decoded(None, f"version {number} has no message type {message_type}", number)
    except DecodeError as exc:
        error = f"not a {message_type} (schema version {number}): {exc}"
        return Decoded(None, error, number)
    try:
        decoded = json_format.MessageToDict(
            message,
            always_print_fields_with_no_presence=True,
            preserving_proto_field_name=True,
            descriptor_pool=descriptors.pool_of(descriptor_set),
        )
    except (TypeError, ValueError, KeyError) as exc:
        # An Any holding a type the schema does not carry, say.
        return Decoded(None, f"decoded, but cannot be shown as JSON: {exc}", number)
    return Decoded(decoded, None, number)


def _well_formed(value: Any) -> Any:
    """JSON's text may escape a lone surrogate ("\\ud800"), which no answer can carry
    as UTF-8: such characters are replaced, the rest kept as it is."""
    if isinstance(value, str):
        return paths.storable(value) if not value.isascii() else value
    if isinstance(value, list):
        return [_well_formed(item) for item in value]
    if isinstance(value, dict):
        return {_well_formed(key): _well_formed(item) for key, item in value.items()}
    return value


def preview(decoded: Decoded, row: MessageRow) -> str:
    if decoded.value is not None:
        text = decoded.value if isinstance(decoded.value, str) else _compact(decoded.value)
        return text[:PREVIEW_CHARS]
    if row.value is None:
        return "(no value: a tombstone)"
    return f"({row.value_size} bytes) {row.value[:48].hex(' ')}"[:PREVIEW_CHARS]


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def key_of(reader: Reader, row: MessageRow) -> str | None:
    return None if row.key is None else key_text(row.key, reader.key_format)


def headers_of(row: MessageRow) -> list[Header]:
    headers = []
    for name, encoded in json.loads(row.headers):
        raw = base64.b64decode(encoded)
        headers.append(Header(name=name, value=header_text(raw), base64=encoded))
    return headers
