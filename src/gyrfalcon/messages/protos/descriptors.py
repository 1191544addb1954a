"""Message classes and field trees from a stored ``FileDescriptorSet``.

A pool is built per schema version and cached, so a worker decoding a million messages
builds each class once; nothing uploaded is ever imported as Python. The field tree is
what the UI's field picker and the subscription's checks of indexed paths read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import DecodeError, Message

_MAX_DEPTH = 6
_SCALAR_NAMES = {
    FieldDescriptor.TYPE_DOUBLE: "double",
    FieldDescriptor.TYPE_FLOAT: "float",
    FieldDescriptor.TYPE_INT64: "int64",
    FieldDescriptor.TYPE_UINT64: "uint64",
    FieldDescriptor.TYPE_INT32: "int32",
    FieldDescriptor.TYPE_FIXED64: "fixed64",
    FieldDescriptor.TYPE_FIXED32: "fixed32",
    FieldDescriptor.TYPE_BOOL: "bool",
    FieldDescriptor.TYPE_STRING: "string",
    FieldDescriptor.TYPE_BYTES: "bytes",
    FieldDescriptor.TYPE_UINT32: "uint32",
    FieldDescriptor.TYPE_SFIXED32: "sfixed32",
    FieldDescriptor.TYPE_SFIXED64: "sfixed64",
    FieldDescriptor.TYPE_SINT32: "sint32",
    FieldDescriptor.TYPE_SINT64: "sint64",
}


class UnknownMessageType(LookupError):
    pass


@dataclass(frozen=True)
class FieldInfo:
    """One path into a message type, for the field picker and the checks of paths."""

    path: str
    type: str
    """A scalar's protobuf name, ``enum <full name>`` or ``message <full name>``."""
    repeated: bool
    indexable: bool
    """Scalars and enums can be indexed; a message as a whole cannot."""


def uploaded_files(
    descriptor_set: bytes, uploaded: set[str]
) -> list[descriptor_pb2.FileDescriptorProto]:
    parsed = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set)
    return [file for file in parsed.file if file.name in uploaded]


def message_types(descriptor_set: bytes, uploaded: set[str]) -> list[str]:
    """Full names of the messages the uploaded files declare, nested ones included (map
    entries, which protoc generates, left out), in declaration order."""
    names: list[str] = []

    def walk(prefix: str, messages: Any) -> None:
        for message in messages:
            if message.options.map_entry:
                continue
            full = f"{prefix}{message.name}"
            names.append(full)
            walk(f"{full}.", message.nested_type)

    for file in uploaded_files(descriptor_set, uploaded):
        walk(f"{file.package}." if file.package else "", file.message_type)
    return names


@lru_cache(maxsize=64)
def _pool(descriptor_set: bytes) -> descriptor_pool.DescriptorPool:
    pool = descriptor_pool.DescriptorPool()
    # --include_imports writes dependencies before the files that import them.
    for file in descriptor_pb2.FileDescriptorSet.FromString(descriptor_set).file:
        pool.Add(file)
    return pool


def pool_of(descriptor_set: bytes) -> descriptor_pool.DescriptorPool:
    return _pool(descriptor_set)


def descriptor_of(descriptor_set: bytes, full_name: str) -> Descriptor:
    try:
        return _pool(descriptor_set).FindMessageTypeByName(full_name)
    except KeyError:
        raise UnknownMessageType(full_name) from None


@lru_cache(maxsize=256)
def message_class(descriptor_set: bytes, full_name: str) -> type[Message]:
    found: type[Message] = message_factory.GetMessageClass(descriptor_of(descriptor_set, full_name))
    return found


def parse(descriptor_set: bytes, full_name: str, value: bytes) -> Message:
    """The message in ``value``; raises :class:`DecodeError` on bytes that are not one."""
    return message_class(descriptor_set, full_name).FromString(value)


def field_tree(descriptor: Descriptor) -> list[FieldInfo]:
    """Every path into ``descriptor``'s messages, depth-first, down to six levels and
    never into a type already on the way (a recursive type would be endless)."""
    found: list[FieldInfo] = []

    def walk(message: Descriptor, prefix: str, seen: tuple[str, ...]) -> None:
        for field in message.fields:
            path = f"{prefix}{field.name}"
            entry = field.message_type
            if entry is not None and _is_map(field):
                value = entry.fields_by_name["value"]
                found.append(FieldInfo(path, f"map<{_type_name(value)}>", False, False))
                found.append(FieldInfo(f"{path}.*", _type_name(value), False, _indexable(value)))
                continue
            repeated = field.is_repeated
            found.append(FieldInfo(path, _type_name(field), repeated, _indexable(field)))
            nested = field.message_type
            if nested is not None and nested.full_name not in seen and len(seen) < _MAX_DEPTH:
                walk(nested, f"{path}.", (*seen, nested.full_name))

    walk(descriptor, "", (descriptor.full_name,))
    return found


def _is_map(field: FieldDescriptor) -> bool:
    return (
        field.message_type is not None
        and field.message_type.GetOptions().map_entry
        and field.is_repeated
    )


def _indexable(field: FieldDescriptor) -> bool:
    return field.message_type is None


def _type_name(field: FieldDescriptor) -> str:
    if field.enum_type is not None:
        return f"enum {field.enum_type.full_name}"
    if field.message_type is not None:
        return f"message {field.message_type.full_name}"
    return _SCALAR_NAMES.get(field.type, "unknown")


__all__ = [
    "DecodeError",
    "FieldInfo",
    "UnknownMessageType",
    "descriptor_of",
    "field_tree",
    "message_class",
    "message_types",
    "parse",
    "pool_of",
]
