"""Read the values of indexed paths (``order.id``, ``customer.email``) from a message.

Ingest reads only these paths from each parsed message, never the whole message into
JSON (ADR 0007): that is what makes storing raw and decoding on read fast. A path is
dotted field names as the schema declares them (the names the JSON view shows); a
repeated field gives each of its values, a map's next segment is a key or ``*`` for
every value. Values are text: enums by name, booleans as ``true``/``false``, bytes as
hex. Empty strings and unset messages give nothing, so they are never a match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

Extractor = Callable[[Any], list[str]]
MAX_VALUE_CHARS = 200
"""Indexed values are kept to their first 200 characters: enough for any business id."""


def storable(text: str) -> str:
    """``text`` as every database takes it: PostgreSQL refuses NUL in text, and a lone
    surrogate (JSON's "\\ud800") is not UTF-8 at all. A record must never fail its
    whole batch for a value's sake."""
    return text.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


class UnknownPath(LookupError):
    """A path that names no field; its message says which segment is wrong."""


def proto_extractor(descriptor: Descriptor, path: str) -> Extractor:
    """A function reading ``path`` from a message of ``descriptor``'s type; raises
    :class:`UnknownPath` when the path does not lead to a scalar or enum field."""
    steps = _resolve(descriptor, path.split("."), path)
    plain = _plain(steps)
    if plain is not None:
        return plain

    def extract(message: Message) -> list[str]:
        return _dedup(_walk_proto(message, steps))

    return extract


def _plain(steps: list[tuple[str, Any]]) -> Extractor | None:
    """For a path of singular fields down to a string or number (``order.id``, the common
    case), a reader without the general walk: ingest calls it for every record."""
    fields: list[FieldDescriptor] = [step for kind, step in steps if kind == "field"]
    if len(fields) != len(steps) or any(f.is_repeated for f in fields):
        return None
    *parents, leaf = fields
    if leaf.enum_type is not None or leaf.type in (
        FieldDescriptor.TYPE_BYTES,
        FieldDescriptor.TYPE_BOOL,
    ):
        return None
    if leaf.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return None
    names = [f.name for f in parents]
    leaf_name, leaf_presence = leaf.name, leaf.has_presence

    def extract(message: Any) -> list[str]:
        for name in names:
            if not message.HasField(name):
                return []
            message = getattr(message, name)
        if leaf_presence and not message.HasField(leaf_name):
            return []
        value = getattr(message, leaf_name)
        if value == "":
            return []
        text = value if isinstance(value, str) else str(value)
        return [text[:MAX_VALUE_CHARS]]

    return extract


def json_extractor(path: str) -> Extractor:
    segments = path.split(".")

    def extract(document: Any) -> list[str]:
        return [storable(value) for value in _dedup(_walk_json(document, segments))]

    return extract


def _resolve(descriptor: Descriptor, segments: list[str], path: str) -> list[tuple[str, Any]]:
    """The path as steps: ("field", FieldDescriptor) or ("key", (key or '*', value field))."""
    steps: list[tuple[str, Any]] = []
    current: Descriptor | None = descriptor
    index = 0
    while index < len(segments):
        segment = segments[index]
        if current is None:
            raise UnknownPath(
                f"'{path}': {steps[-1][1].name} is not a message, so it has no '{segment}'"
            )
        field = current.fields_by_name.get(segment)
        if field is None:
            raise UnknownPath(f"'{path}': {current.full_name} has no field '{segment}'")
        steps.append(("field", field))
        index += 1
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            if index == len(segments):
                raise UnknownPath(f"'{path}': a map needs a key or '*' after '{segment}'")
            value = field.message_type.fields_by_name["value"]
            steps.append(("key", (segments[index], value)))
            index += 1
            current = value.message_type
            if current is None and index < len(segments):
                raise UnknownPath(f"'{path}': the values of map '{segment}' have no fields")
            continue
        current = field.message_type
    if current is not None:
        raise UnknownPath(
            f"'{path}' ends at a message ({current.full_name}); name one of its fields"
        )
    return steps


def _walk_proto(value: Any, steps: list[tuple[str, Any]]) -> Iterator[str]:
    if not steps:
        yield from _leaf(value)
        return
    kind, step = steps[0]
    rest = steps[1:]
    if kind == "key":
        key, value_field = step
        items = value.values() if key == "*" else [value[key]] if key in value else []
        for item in items:
            yield from _walk_proto(_named(value_field, item), rest)
        return
    field: FieldDescriptor = step
    is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
    if field.is_repeated and not is_map:
        for item in getattr(value, field.name):
            yield from _walk_proto(_named(field, item) if not rest else item, rest)
        return
    if not field.is_repeated and field.has_presence and not value.HasField(field.name):
        return
    yield from _walk_proto(_named(field, getattr(value, field.name)), rest)


def _named(field: FieldDescriptor, value: Any) -> Any:
    if field.enum_type is not None and isinstance(value, int):
        known = field.enum_type.values_by_number.get(value)
        return known.name if known is not None else str(value)
    return value


def _walk_json(value: Any, segments: list[str]) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _walk_json(item, segments)
        return
    if not segments:
        yield from _leaf(value)
        return
    if not isinstance(value, dict):
        return
    head, rest = segments[0], segments[1:]
    if head == "*":
        for item in value.values():
            yield from _walk_json(item, rest)
    elif head in value:
        yield from _walk_json(value[head], rest)


def _leaf(value: Any) -> Iterator[str]:
    if value is None or isinstance(value, dict | list):
        return
    if isinstance(value, bool):
        yield "true" if value else "false"
    elif isinstance(value, bytes):
        if value:
            yield value.hex()
    elif isinstance(value, float):
        yield repr(value)
    elif isinstance(value, Message):
        return
    else:
        text = str(value)
        if text:
            yield text


def _dedup(values: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(value[:MAX_VALUE_CHARS] for value in values))
