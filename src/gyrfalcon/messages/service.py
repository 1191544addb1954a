"""What other modules may use of the messages module: decoding bytes with an uploaded
protobuf schema (the cache module shows a cached value as the message it is)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core.security import ServiceScope
from gyrfalcon.messages import proto_schemas
from gyrfalcon.messages.reading import Decoded, decode_protobuf

__all__ = ["Decoded", "decode_with_schema"]


async def decode_with_schema(
    session: AsyncSession,
    *,
    schema_id: int,
    version: int | None,
    message_type: str,
    value: bytes,
    scope: ServiceScope,
) -> Decoded:
    """``value`` decoded as ``message_type`` of a schema in ``scope`` (its latest version
    when ``version`` is None); a 404 for a schema outside the scope, a 422 naming the
    types there are for one the schema does not have, the decode error in the result."""
    found = await proto_schemas.get_version(
        session, schema_id=schema_id, version=version, scope=scope
    )
    proto_schemas.check_type(found, message_type)
    return decode_protobuf(found.descriptor_set, found.version, message_type, value)
