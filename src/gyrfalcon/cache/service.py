"""The cache module's logic, and what other modules may use of it.

A request names a service's Redis instance; this finds it in the catalog, opens a
client per node through the catalog's connector, runs the read or the action under
the instance's time limit, and turns what can go wrong into answers a person can act
on: a Redis that is down, refuses the password or hangs is a 502 that says so within
the limit; a cluster with a primary down answers with the others' keys, marked
partial. Changes need the ``cache`` write permission (the route's guard) and an
instance that is not read-only (checked here, before connecting); each is audited.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from redis.exceptions import NoPermissionError, RedisError, ResponseError
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.cache import keynames
from gyrfalcon.cache.analysis import analyse
from gyrfalcon.cache.details import KeyDetails, read_details
from gyrfalcon.cache.scanning import Budget, ScanPage, scan_page
from gyrfalcon.cache.schemas import Analysis, KeyInfo, KeyPage, MatchCount, ValueOrder, ValuePage
from gyrfalcon.cache.settings import CacheSettings
from gyrfalcon.cache.values import PageSize, key_type, name_of, read_page, string_chunks
from gyrfalcon.catalog import service as catalog
from gyrfalcon.connectors import redis as redis_connector
from gyrfalcon.connectors.redis import Nodes, RedisConfig
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import Conflict, InvalidInput, NotFound, ProblemError
from gyrfalcon.core.failures import Target, describe
from gyrfalcon.core.fields import split_host_port
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.core.settings import Settings
from gyrfalcon.messages import service as messages

SAMPLE_IN_COUNT = 20
"""Keys a count (and a bulk delete's dry run) shows of what it matched."""


class CacheUnavailable(ProblemError):
    status = 502
    title = "Redis not answering"


class ReadOnlyInstance(Conflict):
    title = "Read-only instance"


@dataclass(frozen=True)
class Located:
    service: str
    instance_id: int
    name: str
    config: RedisConfig

    @property
    def label(self) -> str:
        return f"{self.service}/{self.name}"

    def require_writable(self) -> None:
        if self.config.read_only:
            raise ReadOnlyInstance(
                f"{self.label} is read-only: the console changes nothing there. Whoever may "
                "edit the service's Redis connections can turn read-only off."
            )


async def locate(
    session: AsyncSession, box: SecretBox, *, service: str, instance_id: int
) -> Located:
    owner = await catalog.get_service(session, name=service)
    row = await catalog.get_connection(
        session, catalog.REDIS, service=owner, connection_id=instance_id
    )
    config = catalog.load_definition(catalog.REDIS, row, box)
    assert isinstance(config, RedisConfig)
    return Located(service, row.id, row.name, config)


def pattern_of(located: Located, pattern: str) -> bytes:
    """The user's glob under the instance's key prefix (an empty one is every key)."""
    prefix = keynames.escape_glob(located.config.key_prefix.encode())
    return prefix + (pattern.encode() or b"*")


def exact_key(located: Located, pattern: str) -> bytes | None:
    """The one key a pattern without a glob names, under the prefix; None for a glob."""
    raw = pattern.encode()
    if not raw or keynames.has_glob(raw):
        return None
    return located.config.key_prefix.encode() + raw


@dataclass(frozen=True)
class Session:
    """An open instance: its nodes, the settings, and how to word a node's failure."""

    located: Located
    nodes: Nodes
    settings: CacheSettings

    def budget(self) -> Budget:
        section = self.settings
        return Budget(
            keys=section.cache_scan_budget_keys,
            seconds=section.cache_scan_budget_seconds,
            count_max=section.cache_scan_count_max,
        )

    def words(self, failures: dict[str, BaseException]) -> dict[str, str]:
        return {name: self.describe(exc, name) for name, exc in failures.items()}

    def describe(self, exc: BaseException, node: str | None = None) -> str:
        return describe(
            exc,
            _target(self.located.config, node),
            timeout=self.settings.cache_timeout_seconds,
            classify=lambda link: redis_connector.classify(self.located.config, link),
        )


def _target(config: RedisConfig, node: str | None) -> Target:
    secrets = redis_connector.target(config).secrets
    if node is None:
        return redis_connector.target(config)
    host, port = split_host_port(node)
    return Target(host=host, port=port, secrets=secrets)


@contextlib.asynccontextmanager
async def opened(
    located: Located, settings: Settings, *, extra_seconds: float = 0, bounded: bool = True
) -> AsyncIterator[Session]:
    """The instance's nodes, open for the body, every failure worded; all of it within
    the time limit (plus ``extra_seconds`` for a scan with its own budget) when
    ``bounded``, each call within the client's timeout always."""
    section = settings.section(CacheSettings)
    timeout = section.cache_timeout_seconds
    try:
        async with asyncio.timeout(timeout * 3 + extra_seconds if bounded else None):
            # Bounded as a whole here, so each reply needs no timer of its own.
            async with redis_connector.open_nodes(
                located.config, timeout=timeout, per_call=not bounded
            ) as nodes:
                yield Session(located, nodes, section)
    except ProblemError:
        raise
    except ResponseError as exc:
        if isinstance(exc, NoPermissionError):
            raise CacheUnavailable(f"{located.label}: Redis refused the command: {exc}") from None
        raise Conflict(f"{located.label}: Redis refused the command: {exc}") from None
    except (RedisError, OSError, TimeoutError, redis_connector.ClusterIncomplete) as exc:
        target = redis_connector.target(located.config)
        message = describe(
            exc,
            target,
            timeout=timeout,
            classify=lambda link: redis_connector.classify(located.config, link),
        )
        where = located.config.display_url()
        raise CacheUnavailable(f"{located.label} ({where}): {message}") from None


def key_info(item: KeyDetails) -> KeyInfo:
    return KeyInfo(
        **name_of(item.key).model_dump(),
        type=item.type,
        ttl_ms=item.ttl_ms,
        expires_at=item.expires_at_ms,
        size=item.memory,
        size_source=item.size_source,
        encoding=item.encoding,
        length=item.length,
        node=item.node,
    )


async def search(
    located: Located,
    settings: Settings,
    *,
    pattern: str,
    type_filter: str | None,
    cursor: str | None,
    limit: int,
) -> KeyPage:
    """A page of the keys matching ``pattern`` with their details; a pattern without a
    glob is one key, looked up directly."""
    full = pattern_of(located, pattern)
    exact = exact_key(located, pattern)
    extra = settings.section(CacheSettings).cache_scan_budget_seconds
    async with opened(located, settings, extra_seconds=extra) as opened_session:
        nodes = opened_session.nodes
        if exact is not None:
            node = nodes.node_for(exact)
            exists = bool(await node.client.exists(exact))
            found = [(node, exact)] if exists else []
            page = ScanPage(keys=found, cursor=None, examined=1, stopped=None)
        else:
            page = await scan_page(
                nodes,
                full,
                type_filter=type_filter,
                cursor=cursor,
                limit=limit,
                budget=opened_session.budget(),
            )
        details = await read_details(page.keys)
        items = [key_info(item) for item in details.keys]
        if type_filter and exact is not None:
            items = [item for item in items if item.type == type_filter]
        return KeyPage(
            items=items,
            cursor=page.cursor,
            complete=page.cursor is None,
            stopped=page.stopped,
            examined=page.examined,
            server_time=details.server_time_ms or await _server_time(nodes),
            vanished=details.vanished,
            partial=bool(page.failures),
            failures=opened_session.words(page.failures),
            pattern=name_of(exact if exact is not None else full).key,
            exact=exact is not None,
        )


async def _server_time(nodes: Nodes) -> int:
    seconds, micros = await nodes.nodes[0].client.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def count(
    located: Located, settings: Settings, *, pattern: str, cursor: str | None
) -> MatchCount:
    """How many keys match, scanning within one page's budget (resume with the cursor),
    and the first few of them."""
    full = pattern_of(located, pattern)
    extra = settings.section(CacheSettings).cache_scan_budget_seconds
    async with opened(located, settings, extra_seconds=extra) as opened_session:
        page = await scan_page(
            opened_session.nodes,
            full,
            type_filter=None,
            cursor=cursor,
            limit=2**62,
            budget=opened_session.budget(),
        )
        return MatchCount(
            matched=len(page.keys),
            cursor=page.cursor,
            complete=page.cursor is None,
            stopped=page.stopped,
            examined=page.examined,
            partial=bool(page.failures),
            failures=opened_session.words(page.failures),
            sample=[name_of(key) for _node, key in page.keys[:SAMPLE_IN_COUNT]],
        )


async def one_key(located: Located, settings: Settings, key: bytes) -> KeyInfo:
    async with opened(located, settings) as opened_session:
        return await _details_of(opened_session.nodes, key)


async def _details_of(nodes: Nodes, key: bytes) -> KeyInfo:
    details = await read_details([(nodes.node_for(key), key)])
    if not details.keys:
        raise NotFound("The key does not exist (any more): it expired or was deleted.")
    return key_info(details.keys[0])


@dataclass(frozen=True)
class ProtobufChoice:
    """Decode a string value as this message type of an uploaded schema, one the user
    may read (the messages module's read scope)."""

    schema_id: int
    version: int | None
    message_type: str
    scope: ServiceScope


async def value(
    session: AsyncSession,
    located: Located,
    settings: Settings,
    key: bytes,
    *,
    after: str | None,
    order: ValueOrder,
    protobuf: ProtobufChoice | None = None,
) -> ValuePage:
    section = settings.section(CacheSettings)
    size = PageSize(
        elements=100,
        string_bytes=section.cache_value_page_bytes,
        element_bytes=section.cache_element_bytes,
    )
    async with opened(located, settings) as opened_session:
        node = opened_session.nodes.node_for(key)
        page = await read_page(node, key, after=after, order=order, size=size)
    if protobuf is not None:
        await _decode(session, page, protobuf, section)
    return page


async def _decode(
    session: AsyncSession, page: ValuePage, choice: ProtobufChoice, section: CacheSettings
) -> None:
    if page.type != "string" or page.chunk is None:
        raise InvalidInput("schema", "only a string value decodes as a protobuf message")
    if page.offset or page.next is not None:
        raise Conflict(
            f"The value is longer than {section.cache_value_page_bytes} bytes, the most "
            "decoded here; download it to decode it elsewhere."
        )
    decoded = await messages.decode_with_schema(
        session,
        schema_id=choice.schema_id,
        version=choice.version,
        message_type=choice.message_type,
        value=base64.b64decode(page.chunk.base64),
        scope=choice.scope,
    )
    page.decoded, page.decode_error = decoded.value, decoded.error
    page.decoded_as = f"{choice.message_type} (schema version {decoded.version})"


async def download(located: Located, settings: Settings, key: bytes) -> AsyncIterator[bytes]:
    """A string value's bytes, chunk by chunk, never held whole. The caller reads the
    first chunk before answering, so an instance that does not answer or a key that is
    not a string is an error rather than an empty file. Each call is bounded by the
    client's timeout; the whole is not, since a large value takes what it takes."""
    section = settings.section(CacheSettings)
    async with opened(located, settings, bounded=False) as opened_session:
        node = opened_session.nodes.node_for(key)
        if await key_type(node, key) != "string":
            raise Conflict("Only a string value downloads as a file; page through the others.")
        async for chunk in string_chunks(node, key, chunk_bytes=section.cache_value_page_bytes):
            yield chunk


async def analysis(
    located: Located, settings: Settings, *, pattern: str, delimiter: str
) -> Analysis:
    section = settings.section(CacheSettings)
    # Reading a sample takes a few pipelined round trips per thousand keys.
    extra = section.cache_timeout_seconds * (section.cache_sample_keys / 1000 + 2)
    async with opened(located, settings, extra_seconds=extra) as opened_session:
        report, failures = await analyse(
            opened_session.nodes,
            pattern_of(located, pattern),
            sample=section.cache_sample_keys,
            delimiter=delimiter,
        )
        report.failures = opened_session.words(failures)
        report.partial = bool(failures)
        return report


def _audited(info: KeyInfo) -> dict[str, Any]:
    return {
        "key": info.key,
        "type": info.type,
        "ttl_ms": info.ttl_ms,
        "size": info.size,
        "node": info.node,
    }


async def _record(
    session: AsyncSession,
    located: Located,
    action: str,
    before: KeyInfo,
    after: KeyInfo | None,
) -> None:
    audit.record(
        session,
        action=action,
        object_type="cache key",
        object_id=before.key_b64,
        object_name=f"{located.name}: {before.key}",
        service=located.service,
        before=_audited(before),
        after=_audited(after) if after is not None else None,
    )
    await session.commit()


async def delete_key(
    session: AsyncSession, located: Located, settings: Settings, key: bytes
) -> KeyInfo:
    located.require_writable()
    async with opened(located, settings) as opened_session:
        before = await _details_of(opened_session.nodes, key)
        await opened_session.nodes.node_for(key).client.unlink(key)
    await _record(session, located, "cache.key_delete", before, None)
    return before


async def set_ttl(
    session: AsyncSession,
    located: Located,
    settings: Settings,
    key: bytes,
    *,
    seconds: int | None,
) -> KeyInfo:
    """Give the key a TTL of ``seconds`` from now, or take its TTL away (None)."""
    located.require_writable()
    async with opened(located, settings) as opened_session:
        nodes = opened_session.nodes
        before = await _details_of(nodes, key)
        client = nodes.node_for(key).client
        changed = await (client.expire(key, seconds) if seconds else client.persist(key))
        if seconds and not changed:
            raise NotFound("The key does not exist (any more): it expired or was deleted.")
        after = await _details_of(nodes, key)
    await _record(session, located, "cache.key_ttl", before, after)
    return after
