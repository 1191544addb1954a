"""What ingest makes of one Kafka record for one subscription: the row to store and
the values to index, reading only the indexed paths of the value (ADR 0007).

Nothing is lost to a decoder: a value that does not decode is stored raw with the
reason, a value larger than the store keeps is cut and says so, and consumption goes on.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from google.protobuf.message import DecodeError

from gyrfalcon.messages.protos import descriptors, paths
from gyrfalcon.messages.schemas import KeyFormat, ValueFormat
from gyrfalcon.messages.store.base import IndexRow, MessageRow

KEY_FIELD = "@key"
HEADER_FIELD = "@header."
_MAX_HEADERS_INDEXED = 20


class Record(Protocol):
    """The parts of a Kafka record ingest uses: aiokafka's ConsumerRecord as it comes,
    with no copy per record."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def timestamp(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...
    @property
    def headers(self) -> Sequence[tuple[str, bytes]]: ...


@dataclass(frozen=True)
class SchemaVersion:
    id: int
    version: int
    descriptor_set: bytes


def key_text(key: bytes, key_format: str) -> str:
    """The key as the browser shows it and ``@key`` indexes it."""
    if key_format == KeyFormat.BYTES:
        return key.hex()
    try:
        text = key.decode("utf-8")
    except UnicodeDecodeError:
        return key.hex()
    if key_format == KeyFormat.JSON:
        try:
            return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        except ValueError:
            return text
    return text


def header_text(value: bytes | None) -> str | None:
    if value is None:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


class Decoder:
    """Decodes one subscription's records; built again when the subscription or its
    schema's latest version changes."""

    def __init__(
        self,
        subscription_id: int,
        *,
        value_format: str,
        key_format: str,
        indexed_fields: list[str],
        message_type: str | None,
        schema: SchemaVersion | None,
        max_value_bytes: int,
    ) -> None:
        self.subscription_id = subscription_id
        self.value_format = value_format
        self.key_format = key_format
        self.message_type = message_type
        self.schema = schema
        self.max_value_bytes = max_value_bytes
        self._parse: Callable[[bytes], Any] | None = None
        self._extractors: list[tuple[str, paths.Extractor]] = []
        self.problem: str | None = None
        """Why values cannot be decoded at all (a missing schema), stored with each."""
        self._schema_id = (
            schema.id if schema is not None and value_format == ValueFormat.PROTOBUF else None
        )
        self._prepare(indexed_fields)

    def _prepare(self, indexed_fields: list[str]) -> None:
        if self.value_format == ValueFormat.PROTOBUF:
            if self.schema is None or self.message_type is None:
                self.problem = "the subscription's schema was deleted; stored undecoded"
                return
            try:
                descriptor = descriptors.descriptor_of(
                    self.schema.descriptor_set, self.message_type
                )
                message_class = descriptors.message_class(
                    self.schema.descriptor_set, self.message_type
                )
            except descriptors.UnknownMessageType:
                self.problem = (
                    f"version {self.schema.version} of the schema has no message type "
                    f"{self.message_type}; stored undecoded"
                )
                return
            self._parse = message_class.FromString
            for path in indexed_fields:
                try:
                    self._extractors.append((path, paths.proto_extractor(descriptor, path)))
                except paths.UnknownPath:
                    continue  # the newer version dropped the field: nothing to index
        elif self.value_format == ValueFormat.JSON:
            self._parse = json.loads
            self._extractors = [(path, paths.json_extractor(path)) for path in indexed_fields]
        elif self.value_format == ValueFormat.TEXT:
            self._parse = _utf8

    def decode(self, record: Record) -> tuple[MessageRow, list[IndexRow]]:
        """The record's row and index rows. Called for every record consumed: written
        for speed (positional tuples, no intermediate lists)."""
        value = record.value
        error = self.problem if value is not None else None
        size = len(value) if value is not None else 0
        sid, timestamp, partition, offset = (
            self.subscription_id,
            record.timestamp,
            record.partition,
            record.offset,
        )
        index: list[IndexRow] = []
        if value is not None and size > self.max_value_bytes:
            error = (
                f"the value of {size} bytes is larger than the store keeps "
                f"({self.max_value_bytes} bytes): cut, and not decoded"
            )
            value = value[: self.max_value_bytes]
        elif value is not None and error is None and self._parse is not None:
            try:
                parsed = self._parse(value)
            except (DecodeError, ValueError, RecursionError) as exc:
                error = self._failure(exc)
            else:
                for path, extract in self._extractors:
                    for found in extract(parsed):
                        if "\x00" in found:
                            found = paths.storable(found)
                        index.append((sid, path, found, timestamp, partition, offset))
        key = record.key
        if key is not None:
            text = paths.storable(key_text(key, self.key_format)[: paths.MAX_VALUE_CHARS])
            index.append((sid, KEY_FIELD, text, timestamp, partition, offset))
        headers = record.headers
        stored_headers = "[]"
        if headers:
            for name, raw in headers[:_MAX_HEADERS_INDEXED]:
                text = paths.storable(header_text(raw) or "")
                if text:
                    field = paths.storable(f"{HEADER_FIELD}{name}"[:200])
                    row = (sid, field, text[: paths.MAX_VALUE_CHARS], timestamp, partition, offset)
                    index.append(row)
            index = list(dict.fromkeys(index))  # a header may come twice, alike
            stored_headers = json.dumps(
                [[name, base64.b64encode(raw or b"").decode("ascii")] for name, raw in headers]
            )
        schema_id = self._schema_id
        return (
            MessageRow(
                sid,
                partition,
                offset,
                timestamp,
                record.topic,
                key,
                stored_headers,
                value,
                size,
                schema_id,
                error,
            ),
            index,
        )

    def _failure(self, exc: BaseException) -> str:
        if self.value_format == ValueFormat.PROTOBUF:
            version = self.schema.version if self.schema else "?"
            return f"not a {self.message_type} (schema version {version}): {exc}"
        if self.value_format == ValueFormat.JSON:
            return f"not JSON: {exc}"
        return str(exc)


def _utf8(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text: byte {exc.start} is {value[exc.start]:#04x}") from None
