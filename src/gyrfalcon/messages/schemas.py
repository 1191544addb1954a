"""Bodies of the messages API: schemas, subscriptions, stored messages."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.fields import Description, Name, Slug
from gyrfalcon.core.params import Timestamp
from gyrfalcon.core.partial import partial_model

MAX_FILES = 100
MAX_SCHEMA_BYTES = 2 * 1024 * 1024
MAX_INDEXED_FIELDS = 20
_PROTO_NAME = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-.]+)*\.proto$")
_FIELD_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\*|[^.\s]{1,100}))*$")
# Kafka's own rule for topic names.
TOPIC_PATTERN = r"^[A-Za-z0-9._\-]{1,249}$"
Topic = Annotated[str, StringConstraints(pattern=TOPIC_PATTERN), Field(examples=["orders.events"])]


class ValueFormat(StrEnum):
    PROTOBUF = "protobuf"
    JSON = "json"
    TEXT = "text"
    BYTES = "bytes"


class KeyFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    BYTES = "bytes"


class StartFrom(StrEnum):
    LATEST = "latest"
    EARLIEST = "earliest"
    TIMESTAMP = "timestamp"


class ConsumerStatus(StrEnum):
    STARTING = "starting"
    """Saved, not yet taken up by a worker."""
    RUNNING = "running"
    PAUSED = "paused"
    ERROR = "error"


# --- schemas ----------------------------------------------------------------------------


class SchemaUpload(BaseModel):
    """One or more ``.proto`` files; the same service and name again is a new version."""

    model_config = ConfigDict(extra="forbid")

    service: Slug
    name: Name
    description: Description = ""
    files: dict[str, str] = Field(
        min_length=1,
        max_length=MAX_FILES,
        description="File name (as the files import each other, e.g. 'shop/order.proto') "
        "to its text",
        examples=[{"order.proto": 'syntax = "proto3";\nmessage Order { string id = 1; }'}],
    )

    @field_validator("files")
    @classmethod
    def _files(cls, files: dict[str, str]) -> dict[str, str]:
        if not files:
            raise ValueError("upload at least one .proto file")
        if len(files) > MAX_FILES:
            raise ValueError(f"at most {MAX_FILES} files in one upload")
        size = 0
        for name, text in files.items():
            if not _PROTO_NAME.match(name) or ".." in name.split("/"):
                raise FieldError(
                    name,
                    "a file name is a relative path of letters, digits, '_', '-' and '/' "
                    "ending in .proto",
                )
            if name.startswith("google/protobuf/"):
                raise FieldError(name, "google/protobuf/ holds the well-known types already")
            if "\x00" in text:
                raise FieldError(name, "a .proto file is text; this one holds a NUL byte")
            size += len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_SCHEMA_BYTES:
            raise ValueError(f"the files hold more than {MAX_SCHEMA_BYTES // 1024} KiB")
        return files


class CompileError(BaseModel):
    file: str | None
    line: int | None
    column: int | None
    message: str


class SchemaVersionRead(BaseModel):
    version: int
    files: list[str]
    message_types: list[str]
    created_at: datetime
    created_by: str
    warnings: list[CompileError] = []


class SchemaRead(BaseModel):
    id: int
    service: str
    name: str
    description: str
    latest_version: int
    message_types: list[str]
    """The latest version's message types."""
    versions: int
    used_by: list[str]
    """The subscriptions that decode with it, as service/name."""
    updated_at: datetime


class SchemaUploaded(BaseModel):
    schema_: SchemaRead = Field(alias="schema")
    version: SchemaVersionRead

    model_config = ConfigDict(populate_by_name=True)


class SchemaFiles(BaseModel):
    version: int
    files: dict[str, str]


class FieldRead(BaseModel):
    path: str
    type: str
    repeated: bool
    indexable: bool


# --- subscriptions ----------------------------------------------------------------------


def _check_path(path: str) -> str:
    if not _FIELD_PATH.match(path) or len(path) > 200:
        raise ValueError(f"'{path[:200]}' is not a dotted field path such as order.id")
    return path


class SubscriptionDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: Slug
    name: Name
    description: Description = ""
    cluster: Name = Field(description="The Kafka cluster's name in the catalog")
    topic: Topic
    value_format: ValueFormat = ValueFormat.PROTOBUF
    schema_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None, description="The schema that decodes the values (protobuf only)"
    )
    message_type: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = Field(
        default=None, description="The full name of the value's message type, e.g. shop.Order"
    )
    key_format: KeyFormat = KeyFormat.TEXT
    start_from: StartFrom = StartFrom.LATEST
    start_at: Timestamp | None = Field(
        default=None, description="With start_from 'timestamp': the first message's time"
    )
    retention_days: Annotated[int, Field(ge=1, le=3650)] = 7
    indexed_fields: Annotated[list[str], Field(max_length=MAX_INDEXED_FIELDS)] = Field(
        default_factory=list,
        description="Paths into the decoded value to search by, e.g. order.id",
        examples=[["order.id", "customer.email"]],
    )
    enabled: bool = True

    @field_validator("indexed_fields")
    @classmethod
    def _paths(cls, paths: list[str]) -> list[str]:
        checked = [_check_path(path.strip()) for path in paths]
        return list(dict.fromkeys(checked))

    @model_validator(mode="after")
    def _consistent(self) -> SubscriptionDefinition:
        if self.value_format == ValueFormat.PROTOBUF:
            if self.schema_id is None:
                raise FieldError("schema_id", "a protobuf value needs the schema that decodes it")
            if self.message_type is None:
                raise FieldError("message_type", "name the value's message type, e.g. shop.Order")
        else:
            if self.schema_id is not None or self.message_type is not None:
                raise FieldError(
                    "schema_id", f"a {self.value_format.value} value is read without a schema"
                )
            if self.value_format != ValueFormat.JSON and self.indexed_fields:
                raise FieldError(
                    "indexed_fields",
                    f"a {self.value_format.value} value has no fields; index the key or "
                    "headers, which every subscription does",
                )
        if (self.start_from == StartFrom.TIMESTAMP) != (self.start_at is not None):
            raise FieldError("start_at", "give start_at exactly when start_from is 'timestamp'")
        return self


class TopicRead(BaseModel):
    name: str
    partitions: int


class PartitionLag(BaseModel):
    partition: int
    next_offset: int
    end_offset: int | None
    lag: int | None
    worker: str = Field(description="The worker that last stored its messages (host:pid)")


class SubscriptionStatus(BaseModel):
    state: ConsumerStatus
    error: str | None
    stored: int
    last_message_at: datetime | None
    lag: int | None
    partitions: list[PartitionLag]
    updated_at: datetime | None


class SubscriptionRead(BaseModel):
    id: int
    service: str
    name: str
    description: str
    cluster: str
    topic: str
    value_format: ValueFormat
    schema_id: int | None
    schema_name: str | None
    message_type: str | None
    key_format: KeyFormat
    start_from: StartFrom
    start_at: datetime | None
    retention_days: int
    indexed_fields: list[str]
    enabled: bool
    status: SubscriptionStatus
    created_at: datetime
    updated_at: datetime


class SubscriptionFields(BaseModel):
    """What the message browser's field picker offers for a subscription."""

    indexed: list[str]
    fields: list[FieldRead]


# --- stored messages --------------------------------------------------------------------


class MessageRef(BaseModel):
    subscription_id: int
    partition: int
    offset: int


class MessageSummary(MessageRef):
    service: str
    subscription: str
    topic: str
    timestamp: datetime
    key: str | None
    size: int
    schema_version: int | None
    decode_error: str | None
    preview: str
    """The start of the decoded value as one line of JSON (or text)."""


class MessagePage(BaseModel):
    items: list[MessageSummary]
    next: str | None = Field(description="Give as 'after' for the next (older) page")
    scanned: int = Field(description="Stored messages looked at for this page")
    complete: bool = Field(
        description="False when the scan budget ended the page early: go on with 'next'"
    )


class Header(BaseModel):
    name: str
    value: str | None = Field(description="The value as UTF-8 text, when it is text")
    base64: str


class MessageDetail(MessageSummary):
    headers: list[Header]
    decoded: Any = Field(description="The decoded value (JSON), null when it did not decode")
    decoded_with: int | None = Field(description="The schema version that decoded it here")
    key_base64: str | None
    value_base64: str | None
    value_hex: str | None
    shown_bytes: int = Field(description="How much of the value the hex and base64 show")
    cut: bool = Field(description="The value was larger than the store keeps and was cut")
    indexed: dict[str, list[str]]


class HeaderInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    value: Annotated[str, StringConstraints(max_length=100_000)] | None = Field(
        default=None, description="The value as text"
    )
    base64: Annotated[str, StringConstraints(max_length=200_000)] | None = Field(
        default=None, description="The value as bytes, when it is not text"
    )

    @model_validator(mode="after")
    def _one(self) -> HeaderInput:
        if (self.value is None) == (self.base64 is None):
            raise FieldError("value", "give a header's value as text or as base64, one of them")
        return self


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: Topic | None = Field(default=None, description="Another topic; the same one if left out")
    key_base64: Annotated[str, StringConstraints(max_length=1_000_000)] | None = Field(
        default=None, description="An edited key"
    )
    value_base64: Annotated[str, StringConstraints(max_length=30_000_000)] | None = Field(
        default=None, description="An edited value, as bytes"
    )
    value_json: Any = Field(
        default=None,
        description="An edited value as the JSON of its message type (protobuf) or as JSON",
    )
    headers: Annotated[list[HeaderInput], Field(max_length=100)] | None = Field(
        default=None, description="Edited headers, in place of the stored ones"
    )

    @model_validator(mode="after")
    def _one_value(self) -> ReplayRequest:
        if self.value_base64 is not None and self.value_json is not None:
            raise FieldError("value_json", "give the edited value as base64 or as JSON, not both")
        return self


class ReplayResult(BaseModel):
    topic: str
    partition: int
    offset: int


_SubscriptionPatch = partial_model(
    SubscriptionDefinition, "SubscriptionPatch", exclude=("service",)
)


class SubscriptionUpdate(_SubscriptionPatch):  # type: ignore[misc,valid-type]
    """Any subset of a subscription's fields; a new cluster or topic starts it afresh."""
