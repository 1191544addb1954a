"""The cache module's API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from gyrfalcon.cache.details import SizeSource
from gyrfalcon.cache.scanning import Stop


class KeyName(BaseModel):
    key: str = Field(description="The key as text; escaped (\\xNN) when binary")
    key_b64: str = Field(description="The key's bytes as base64url: how URLs name it")
    binary: bool = Field(description="The key is not printable UTF-8")


class KeyInfo(KeyName):
    type: str
    ttl_ms: int | None = Field(description="Milliseconds left; null: no expiry")
    expires_at: int | None = Field(
        description="When it expires, epoch milliseconds by the server's clock"
    )
    size: int | None = Field(description="Bytes (MEMORY USAGE), or the length when refused")
    size_source: SizeSource | None
    encoding: str | None
    length: int | None = Field(description="Bytes of a string, elements of the others")
    node: str = Field(description="The server (a cluster's primary) that holds it")


class KeyPage(BaseModel):
    items: list[KeyInfo]
    cursor: str | None = Field(description="Pass it back for the next page; null: scan done")
    complete: bool = Field(description="Every primary was scanned to its end")
    stopped: Stop | None = Field(description="Why the page ended before the scan did")
    examined: int = Field(description="Keys the scan looked at for this page (an estimate)")
    server_time: int = Field(description="The server's clock, epoch ms, for the TTLs")
    vanished: int = Field(description="Keys found that expired or went before being read")
    partial: bool = Field(description="Some primaries did not answer: their keys are missing")
    failures: dict[str, str] = Field(description="The primaries that did not answer, and why")
    pattern: str = Field(description="The pattern scanned, key prefix included")
    exact: bool = Field(description="The pattern had no glob: one key looked up directly")


class MatchCount(BaseModel):
    matched: int
    cursor: str | None
    complete: bool
    stopped: Stop | None
    examined: int
    partial: bool
    failures: dict[str, str]
    sample: list[KeyName] = Field(description="The first keys that matched")


class Blob(BaseModel):
    """Bytes shown safely: as text when they are UTF-8, as base64 always."""

    text: str | None = Field(description="The bytes as UTF-8 text; null when they are not")
    base64: str
    length: int = Field(description="Bytes in full, even when cut")
    truncated: bool = Field(description="Only the first part is here")


class Element(BaseModel):
    """One element of an aggregate: a list item (index), a set member, a hash field
    (field, value), a sorted set member (value, score) or a stream entry (id, fields)."""

    index: int | None = None
    field: Blob | None = None
    value: Blob | None = None
    score: float | None = None
    id: str | None = None
    fields: list[Element] | None = None


class ValuePage(BaseModel):
    key: KeyName
    type: str
    length: int | None = Field(description="Bytes of a string, elements of the others")
    chunk: Blob | None = Field(default=None, description="A string's bytes from offset")
    offset: int | None = Field(default=None, description="Where the chunk or elements start")
    json_value: Any = Field(
        default=None, description="The whole string parsed as JSON, when it is JSON"
    )
    is_json: bool = False
    elements: list[Element] = Field(default_factory=list)
    next: str | None = Field(description="Pass as `after` for the next page; null: the end")
    decoded: Any = Field(
        default=None, description="The string decoded with the protobuf type asked for"
    )
    decoded_as: str | None = Field(default=None, description="The type and schema version")
    decode_error: str | None = Field(default=None, description="Why it did not decode")


ValueOrder = Literal["asc", "desc"]
Ttl = Annotated[int, Field(ge=1, le=10 * 365 * 24 * 3600, description="Seconds from now")]


class TtlChange(BaseModel):
    seconds: Ttl | None = Field(description="The new TTL in seconds; null removes it (PERSIST)")


class Share(BaseModel):
    name: str = Field(description="The type, the prefix, or the TTL bucket")
    keys: int
    memory: int = Field(description="Bytes, summed over the sampled keys")


class BigKey(KeyName):
    type: str
    size: int | None
    size_source: SizeSource | None
    ttl_ms: int | None


class Analysis(BaseModel):
    sampled: int = Field(description="Keys the analysis read")
    keys_total: int = Field(description="Keys on the instance (DBSIZE, summed over primaries)")
    whole: bool = Field(description="Every key under the prefix was read: figures are exact")
    by_type: list[Share]
    prefixes: list[Share] = Field(description="Top folders (up to the last delimiter) by memory")
    biggest: list[BigKey]
    without_ttl: Share
    without_ttl_biggest: list[BigKey]
    ttl_buckets: list[Share]
    delimiter: str
    partial: bool
    failures: dict[str, str]
    server_time: int


class BulkDeleteRequest(BaseModel):
    pattern: Annotated[str, Field(min_length=1, max_length=1000)] = Field(
        description="The glob, under the instance's key prefix, as in the dry run"
    )
    max_keys: Annotated[int, Field(ge=1, le=10**12)] = Field(
        description="The most keys you confirm deleting (the dry run's count, with room for "
        "keys written since): the job stops as partial there rather than delete more"
    )


class BulkDeleteRead(BaseModel):
    id: int
    instance_id: int
    pattern: str
    state: str
    max_keys: int
    deleted: int
    examined: int
    reason: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class InstanceSummary(BaseModel):
    service: str
    id: int
    name: str
    url: str = Field(description="Where it is, password left out")
    mode: str
    key_prefix: str
    read_only: bool
    tested_at: datetime | None
    test_ok: bool | None = Field(description="The last connection test; null: never tested")
    test_message: str | None


class ResumeRequest(BaseModel):
    max_keys: Annotated[int, Field(ge=1, le=10**12)] | None = Field(
        default=None, description="A new maximum, when the old one was reached"
    )
