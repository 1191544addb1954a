"""A key's value, a page at a time and capped, whatever its type and size: a string by
``GETRANGE`` chunks, a hash by ``HSCAN``, a set by ``SSCAN``, a sorted set by rank with
scores, a list by ``LRANGE``, a stream by ``XREVRANGE`` (newest first). A value of
hundreds of megabytes is never read whole; one element longer than
``cache_element_bytes`` is cut, with its full length said."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

from gyrfalcon.cache import keynames
from gyrfalcon.cache.schemas import Blob, Element, KeyName, ValueOrder, ValuePage
from gyrfalcon.connectors.redis import Node
from gyrfalcon.core.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class PageSize:
    elements: int
    string_bytes: int
    element_bytes: int


def blob(data: bytes, cap: int) -> Blob:
    shown = data[:cap]
    truncated = len(shown) < len(data)
    return Blob(
        text=_utf8(shown, cut=truncated),
        base64=base64.b64encode(shown).decode("ascii"),
        length=len(data),
        truncated=truncated,
    )


def _utf8(data: bytes, *, cut: bool) -> str | None:
    """The bytes as text, forgiving a character split by the cut at the end only."""
    for trim in range(4 if cut else 1):
        try:
            return data[: len(data) - trim].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _whole_characters(chunk: bytes) -> bytes:
    """A chunk of a longer string, ended before a UTF-8 character the chunk splits, so
    each page of a text reads as text; binary data is left as it is."""
    for trim in range(1, 4):
        try:
            chunk[: len(chunk) - trim].decode("utf-8")
        except UnicodeDecodeError:
            continue
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            return chunk[: len(chunk) - trim]
        return chunk
    return chunk


def name_of(key: bytes) -> KeyName:
    text, binary = keynames.display(key)
    return KeyName(key=text, key_b64=keynames.encode(key), binary=binary)


async def key_type(node: Node, key: bytes) -> str:
    kind = await node.client.type(key)
    text = kind.decode() if isinstance(kind, bytes) else str(kind)
    if text == "none":
        raise NotFound("The key does not exist (any more): it expired or was deleted.")
    return text


async def read_page(
    node: Node,
    key: bytes,
    *,
    after: str | None,
    order: ValueOrder,
    size: PageSize,
) -> ValuePage:
    kind = await key_type(node, key)
    reader = _READERS.get(kind)
    if reader is None:
        # A module's type (JSON, a Bloom filter, a time series): its commands are the
        # module's own, and the page says what it is rather than guess.
        return ValuePage(key=name_of(key), type=kind, length=None, next=None)
    page: ValuePage = await reader(node, key, after, order, size)
    return page


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit():
        raise InvalidInput("after", "expected the number the previous page gave as `next`")
    return int(after)


async def _string(
    node: Node, key: bytes, after: str | None, _order: ValueOrder, size: PageSize
) -> ValuePage:
    offset = _offset(after)
    pipe = node.client.pipeline(transaction=False)
    pipe.strlen(key)
    pipe.getrange(key, offset, offset + size.string_bytes - 1)
    total, chunk = await pipe.execute()
    if offset + len(chunk) < total:
        chunk = _whole_characters(chunk)
    page = ValuePage(
        key=name_of(key),
        type="string",
        length=total,
        offset=offset,
        chunk=blob(chunk, len(chunk)),
        next=str(offset + len(chunk)) if offset + len(chunk) < total else None,
    )
    if offset == 0 and len(chunk) == total:
        try:
            page.json_value = json.loads(chunk)
            page.is_json = isinstance(page.json_value, dict | list)
        except ValueError:
            page.json_value = None
        if not page.is_json:
            page.json_value = None
    return page


async def _scanned(
    node: Node, key: bytes, after: str | None, size: PageSize, kind: str
) -> tuple[int, int, Any]:
    """A hash's or a set's length and one HSCAN / SSCAN page: the next cursor, what it
    found."""
    pipe = node.client.pipeline(transaction=False)
    if kind == "hash":
        pipe.hlen(key)
        pipe.hscan(key, _offset(after), count=size.elements)
    else:
        pipe.scard(key)
        pipe.sscan(key, _offset(after), count=size.elements)
    total, (following, found) = await pipe.execute()
    return int(total), int(following), found


async def _hash(
    node: Node, key: bytes, after: str | None, _order: ValueOrder, size: PageSize
) -> ValuePage:
    total, following, pairs = await _scanned(node, key, after, size, "hash")
    cap = size.element_bytes
    return ValuePage(
        key=name_of(key),
        type="hash",
        length=total,
        elements=[Element(field=blob(f, cap), value=blob(v, cap)) for f, v in pairs.items()],
        next=str(following) if following else None,
    )


async def _set(
    node: Node, key: bytes, after: str | None, _order: ValueOrder, size: PageSize
) -> ValuePage:
    total, following, members = await _scanned(node, key, after, size, "set")
    cap = size.element_bytes
    return ValuePage(
        key=name_of(key),
        type="set",
        length=total,
        elements=[Element(value=blob(member, cap)) for member in members],
        next=str(following) if following else None,
    )


async def _list(
    node: Node, key: bytes, after: str | None, _order: ValueOrder, size: PageSize
) -> ValuePage:
    offset = _offset(after)
    pipe = node.client.pipeline(transaction=False)
    pipe.llen(key)
    pipe.lrange(key, offset, offset + size.elements - 1)
    total, items = await pipe.execute()
    cap = size.element_bytes
    return ValuePage(
        key=name_of(key),
        type="list",
        length=total,
        offset=offset,
        elements=[
            Element(index=offset + index, value=blob(item, cap)) for index, item in enumerate(items)
        ],
        next=str(offset + len(items)) if offset + len(items) < total else None,
    )


async def _zset(
    node: Node, key: bytes, after: str | None, order: ValueOrder, size: PageSize
) -> ValuePage:
    offset = _offset(after)
    pipe = node.client.pipeline(transaction=False)
    pipe.zcard(key)
    pipe.zrange(key, offset, offset + size.elements - 1, desc=order == "desc", withscores=True)
    total, members = await pipe.execute()
    cap = size.element_bytes
    return ValuePage(
        key=name_of(key),
        type="zset",
        length=total,
        offset=offset,
        elements=[
            Element(index=offset + index, value=blob(member, cap), score=float(score))
            for index, (member, score) in enumerate(members)
        ],
        next=str(offset + len(members)) if offset + len(members) < total else None,
    )


async def _stream(
    node: Node, key: bytes, after: str | None, _order: ValueOrder, size: PageSize
) -> ValuePage:
    if after is not None and not _is_stream_id(after):
        raise InvalidInput("after", "expected the stream entry id the previous page gave")
    pipe = node.client.pipeline(transaction=False)
    pipe.xlen(key)
    # Newest first, from just before the last entry shown.
    pipe.xrevrange(key, max=f"({after}" if after else "+", min="-", count=size.elements)
    total, entries = await pipe.execute()
    cap = size.element_bytes
    elements = [
        Element(
            id=entry_id.decode(),
            fields=[Element(field=blob(f, cap), value=blob(v, cap)) for f, v in values.items()],
        )
        for entry_id, values in entries
    ]
    return ValuePage(
        key=name_of(key),
        type="stream",
        length=total,
        elements=elements,
        next=elements[-1].id if len(elements) == size.elements else None,
    )


def _is_stream_id(value: str) -> bool:
    first, _, second = value.partition("-")
    return first.isdigit() and (second == "" or second.isdigit())


_READERS: dict[str, Any] = {
    "string": _string,
    "hash": _hash,
    "set": _set,
    "list": _list,
    "zset": _zset,
    "stream": _stream,
}


async def string_chunks(node: Node, key: bytes, *, chunk_bytes: int) -> AsyncIterator[bytes]:
    """A string's bytes chunk by chunk, for a download that never holds it whole."""
    offset = 0
    while True:
        chunk = cast(bytes, await node.client.getrange(key, offset, offset + chunk_bytes - 1))
        if not chunk:
            return
        yield chunk
        offset += len(chunk)
        if len(chunk) < chunk_bytes:
            return
