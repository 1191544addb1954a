"""The debug module's logic, and what other modules may use of it.

A run loads the endpoint from the catalog, checks the parameters against the
endpoint's JSON Schema, calls it (``calling.py``: only under the service's base URL,
with the endpoint's token or HMAC key), reads the answer (``traceformat.py``), stores
the run with a sentence saying what happened, audits it and keeps only the newest
runs of the endpoint. Reading the runs needs the module's ``read`` permission for the
service, running them ``run`` (the routes' guards).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import datetime
from itertools import islice
from typing import Any

from jsonschema import Draft202012Validator
from referencing.exceptions import Unresolvable
from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog import service as catalog
from gyrfalcon.connectors.http import ServiceClient
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import Conflict, NotFound, invalid_input
from gyrfalcon.core.failures import redact
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.redaction import MASK
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.debug import analysis, traceformat
from gyrfalcon.debug.calling import Answer, Call, call_endpoint
from gyrfalcon.debug.models import DebugRun
from gyrfalcon.debug.schemas import (
    EndpointStatus,
    Outcome,
    RunComparison,
    RunPage,
    RunRead,
    RunSummary,
)
from gyrfalcon.debug.settings import DebugSettings

SHOWN_ERRORS = 20
PARTIAL_SECRET = 4
"""The shortest start of a token, left at the end of a cut answer, that is blanked."""

_Endpoint = catalog.DebugEndpoint


def check_parameters(schema: dict[str, Any], parameters: dict[str, Any]) -> None:
    """A 422 naming each parameter that breaks the endpoint's schema (the first
    :data:`SHOWN_ERRORS`); a 409 when the schema itself cannot be applied."""
    try:
        errors = list(islice(Draft202012Validator(schema).iter_errors(parameters), SHOWN_ERRORS))
    except Unresolvable as exc:  # a $ref that resolves nowhere
        raise Conflict(
            f"the endpoint's parameter schema cannot be applied ({exc}): fix it in the "
            "endpoint's settings"
        ) from None
    if not errors:
        return
    found = []
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(str(part) for part in error.absolute_path)
        found.append(
            {
                "field": f"parameters.{where}" if where else "parameters",
                "message": error.message[:500],
            }
        )
    raise invalid_input(found)


def _without_secret(answer: Answer, secret: str | None) -> Answer:
    """The answer with the endpoint's token blanked, as it is and as JSON escapes it: a
    service that echoes its request, headers and all, must not hand it to whoever may
    read the run. An answer cut at the size limit may end in the token's first part."""
    if not secret or not answer.body:
        return answer
    text = answer.body.decode("utf-8", errors="replace")
    escaped = json.dumps(secret)[1:-1]
    cleaned = redact(text, (secret, escaped, escaped.replace("/", "\\/")))
    if answer.truncated:
        for length in range(len(secret) - 1, PARTIAL_SECRET - 1, -1):
            if cleaned.endswith(secret[:length]):
                cleaned = cleaned[:-length] + MASK
                break
    return answer if cleaned == text else dataclasses.replace(answer, body=cleaned.encode())


def _message(
    answer: Answer, reading: traceformat.Reading | None, counts: tuple[int, int, bool]
) -> str:
    if answer.error is not None:
        return answer.error
    status = f"HTTP {answer.http_status}"
    if answer.truncated:
        return f"{status}, but the answer is larger than the limit and was cut: not read"
    assert reading is not None
    if reading.outcome is not Outcome.TRACE:
        return f"{status}; {reading.reason}"
    assert reading.trace is not None
    spans, failed, trace_failed = counts
    if failed:
        return f"{status}; {failed} of {spans} spans failed"
    if trace_failed:
        return f"{status}; the endpoint reported an error: {reading.trace.get('error') or 'failed'}"
    return f"{status}; {spans} spans, all ok"


def _stored(
    endpoint: Any,
    config: catalog.DebugEndpointConfig,
    parameters: dict[str, Any],
    actor: str,
    started: datetime,
    answer: Answer,
) -> DebugRun:
    reading = None
    if answer.error is None and not answer.truncated:
        reading = traceformat.read(answer.body)
    spans = failed_spans = 0
    trace_failed = False
    if reading is not None and reading.trace is not None:
        spans, failed_spans, trace_failed = analysis.counts(reading.trace)
    outcome = (
        Outcome.CALL_FAILED
        if answer.error is not None
        else (reading.outcome if reading is not None else Outcome.NOT_JSON)
    )
    http_failed = answer.http_status is not None and answer.http_status >= 400
    failed = (
        answer.error is not None
        or http_failed
        or answer.truncated
        or outcome in (Outcome.INVALID_TRACE, Outcome.NOT_JSON)
        or failed_spans > 0
        or trace_failed
    )
    body = answer.body.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    return DebugRun(
        endpoint_id=endpoint.id,
        actor=actor,
        started_at=started,
        method=config.method.value,
        path=config.path,
        parameters=parameters,
        http_status=answer.http_status,
        duration_ms=answer.duration_ms,
        outcome=outcome.value,
        failed=failed,
        message=_message(answer, reading, (spans, failed_spans, trace_failed)),
        trace=reading.trace if reading is not None else None,
        source_format=reading.source_format if reading is not None else None,
        body=body if answer.error is None else None,
        body_truncated=answer.truncated,
        content_type=(answer.content_type or "")[:200] or None,
        invalid_at=reading.invalid_at if reading is not None else None,
        span_count=spans,
        failed_spans=failed_spans,
    )


async def run_endpoint(
    session: AsyncSession,
    box: SecretBox,
    settings: DebugSettings,
    client: ServiceClient,
    *,
    service: str,
    endpoint_id: int,
    parameters: dict[str, Any],
    actor: str,
) -> RunRead:
    owner = await catalog.get_service(session, name=service)
    row = await catalog.get_connection(
        session, catalog.DEBUG_ENDPOINTS, service=owner, connection_id=endpoint_id
    )
    config = catalog.load_definition(catalog.DEBUG_ENDPOINTS, row, box)
    assert isinstance(config, catalog.DebugEndpointConfig)
    check_parameters(config.parameters, parameters)
    if not owner.base_url:
        raise Conflict(
            f"{service} has no base URL: set it on the service so its debug endpoints can be run"
        )
    secret = config.secret.get_secret_value() if config.secret else None
    if config.auth is not catalog.DebugAuth.NONE and not secret:
        raise Conflict(
            f"the {config.auth.value} of {row.name} is not set: enter it again in the "
            "endpoint's settings (it is dropped when the service's base URL or the "
            "endpoint's path changes)"
        )
    base_url = owner.base_url
    # No transaction stays open across a call that may take minutes: a hanging endpoint
    # must not hold one of the pool's connections.
    await session.commit()
    started = utcnow()
    answer = await call_endpoint(
        client,
        Call(
            base_url=base_url,
            method=config.method.value,
            path=config.path,
            parameters=parameters,
            timeout=config.timeout_seconds,
            auth=config.auth,
            secret=secret,
            max_bytes=settings.debug_response_max_bytes,
        ),
    )
    # Reading and measuring a trace of thousands of spans is CPU work: off the event loop.
    run = await asyncio.to_thread(
        _stored, row, config, parameters, actor, started, _without_secret(answer, secret)
    )
    session.add(run)
    await session.flush()
    audit.record(
        session,
        action="debug.run",
        object_type="debug endpoint",
        object_id=row.id,
        object_name=row.name,
        service=service,
        after={
            "run": run.id,
            "method": run.method,
            "path": run.path,
            "parameters": parameters,
            "http_status": run.http_status,
            "outcome": run.outcome,
            "failed": run.failed,
        },
    )
    await _keep_newest(session, row.id, settings.debug_runs_kept)
    await session.commit()
    return await asyncio.to_thread(_read, run, service, row.name)


async def _keep_newest(session: AsyncSession, endpoint_id: int, kept: int) -> None:
    cutoff = await session.scalar(
        select(DebugRun.id)
        .where(DebugRun.endpoint_id == endpoint_id)
        .order_by(DebugRun.id.desc())
        .offset(kept)
        .limit(1)
    )
    if cutoff is not None:
        await session.execute(
            delete(DebugRun).where(DebugRun.endpoint_id == endpoint_id, DebugRun.id <= cutoff)
        )


def _summary(run: DebugRun, service: str, endpoint: str) -> RunSummary:
    return RunSummary(
        id=run.id,
        service=service,
        endpoint_id=run.endpoint_id,
        endpoint=endpoint,
        actor=run.actor,
        started_at=run.started_at,
        method=run.method,
        path=run.path,
        duration_ms=run.duration_ms,
        http_status=run.http_status,
        outcome=Outcome(run.outcome),
        failed=run.failed,
        message=run.message,
        span_count=run.span_count,
        failed_spans=run.failed_spans,
    )


def _read(run: DebugRun, service: str, endpoint: str) -> RunRead:
    trace = (
        analysis.trace_read(run.trace, run.source_format or "gyrfalcon")
        if run.trace is not None
        else None
    )
    return RunRead(
        **_summary(run, service, endpoint).model_dump(),
        parameters=run.parameters,
        trace=trace,
        body=run.body,
        body_truncated=run.body_truncated,
        content_type=run.content_type,
        invalid_at=run.invalid_at,
    )


def _runs() -> Select[DebugRun, str, str | None, str]:
    return (
        select(DebugRun, catalog.Service.name, catalog.Service.team, _Endpoint.name)
        .join(_Endpoint, _Endpoint.id == DebugRun.endpoint_id)
        .join(catalog.Service, catalog.Service.id == _Endpoint.service_id)
    )


async def _visible_run(
    session: AsyncSession, scope: ServiceScope, run_id: int
) -> tuple[DebugRun, str, str]:
    found = (await session.execute(_runs().where(DebugRun.id == run_id))).first()
    if found is None or not scope.allows(found[1], found[2]):
        raise NotFound(f"there is no debug run {run_id} you may see")
    run, service, _team, endpoint = found
    return run, service, endpoint


async def get_run(session: AsyncSession, scope: ServiceScope, run_id: int) -> RunRead:
    run, service, endpoint = await _visible_run(session, scope, run_id)
    return await asyncio.to_thread(_read, run, service, endpoint)


async def compare_runs(
    session: AsyncSession, scope: ServiceScope, base_id: int, other_id: int
) -> RunComparison:
    base = await get_run(session, scope, base_id)
    other = await get_run(session, scope, other_id)
    if base.endpoint_id != other.endpoint_id:
        raise Conflict(
            f"runs {base_id} and {other_id} are of different endpoints "
            f"({base.service}/{base.endpoint} and {other.service}/{other.endpoint}): "
            "only runs of one endpoint compare span by span"
        )
    return await asyncio.to_thread(analysis.compare, base, base.trace, other, other.trace)


async def list_runs(
    session: AsyncSession, *, service: str, endpoint_id: int, before: int | None, limit: int
) -> RunPage:
    owner = await catalog.get_service(session, name=service)
    endpoint = await catalog.get_connection(
        session, catalog.DEBUG_ENDPOINTS, service=owner, connection_id=endpoint_id
    )
    query = select(DebugRun).where(DebugRun.endpoint_id == endpoint.id)
    if before is not None:
        query = query.where(DebugRun.id < before)
    rows = list(await session.scalars(query.order_by(DebugRun.id.desc()).limit(limit + 1)))
    items = [_summary(run, service, endpoint.name) for run in rows[:limit]]
    return RunPage(items=items, next_cursor=str(rows[limit - 1].id) if len(rows) > limit else None)


async def endpoint_statuses(
    session: AsyncSession, scope: ServiceScope, *, service: str | None = None
) -> list[EndpointStatus]:
    """The debug endpoints in ``scope`` with their last runs, by service and name."""
    last = (
        select(DebugRun.endpoint_id, func.max(DebugRun.id).label("run_id"))
        .group_by(DebugRun.endpoint_id)
        .subquery()
    )
    query = (
        select(_Endpoint, catalog.Service.name, catalog.Service.team, DebugRun)
        .join(catalog.Service, catalog.Service.id == _Endpoint.service_id)
        .outerjoin(last, last.c.endpoint_id == _Endpoint.id)
        .outerjoin(DebugRun, DebugRun.id == last.c.run_id)
        .order_by(catalog.Service.name, _Endpoint.name)
    )
    if service is not None:
        query = query.where(catalog.Service.name == service)
    found = []
    for endpoint, name, team, run in await session.execute(query):
        if not scope.allows(name, team):
            continue
        stored = endpoint.config
        found.append(
            EndpointStatus(
                id=endpoint.id,
                service=name,
                name=endpoint.name,
                description=endpoint.description,
                method=str(stored.get("method", "GET")),
                path=str(stored.get("path", "")),
                last_run=_summary(run, name, endpoint.name) if run is not None else None,
            )
        )
    return found
