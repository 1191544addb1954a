"""OpenTelemetry spans in OTLP/JSON, turned into the platform's trace format.

A service already instrumented with OpenTelemetry can answer a debug run with the spans
its SDK collected (an in-memory exporter's OTLP/JSON) instead of adopting the probe
SDK. The span tree comes from ``parentSpanId``; the kind of dependency from the
semantic-convention attributes (``db.system``, ``messaging.system``, ``rpc.system``,
``http.request.method`` ...), since OTLP's own span kind says only client or server;
offsets are measured from the earliest span.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from gyrfalcon.debug.invalid import InvalidTrace
from gyrfalcon.probe import FORMAT

_ERROR_CODES = (2, "STATUS_CODE_ERROR")
_CACHE_SYSTEMS = frozenset({"redis", "memcached", "hazelcast", "ehcache"})
_CLIENT_KINDS = (3, 4, "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER")
_MAX_ATTRIBUTE_CHARS = 10_000
_MAX_NANOS = 2**64
MAX_SPANS = 10_000
"""What the probe SDK sends at most, and what the waterfall is made to draw."""


def is_otlp(document: Any) -> bool:
    return isinstance(document, dict) and "resourceSpans" in document


def _value(any_value: Any) -> Any:
    """An OTLP AnyValue as a flat attribute: lists and maps as their JSON text."""
    if not isinstance(any_value, dict):
        return None
    for key in ("stringValue", "boolValue", "doubleValue"):
        if key in any_value:
            return any_value[key]
    if "intValue" in any_value:
        raw = any_value["intValue"]  # a string in OTLP/JSON: int64 exceeds JSON numbers
        try:
            return int(raw)
        except (TypeError, ValueError):
            return str(raw)
    if "arrayValue" in any_value:
        values = any_value["arrayValue"].get("values", [])
        return json.dumps([_value(item) for item in values])[:_MAX_ATTRIBUTE_CHARS]
    if "kvlistValue" in any_value:
        return json.dumps(_attributes(any_value["kvlistValue"].get("values", [])))[
            :_MAX_ATTRIBUTE_CHARS
        ]
    if "bytesValue" in any_value:
        return str(any_value["bytesValue"])
    return None


def _attributes(raw: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if not isinstance(raw, list):
        return found
    for item in raw[:100]:
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            value = _value(item.get("value"))
            found[item["key"][:200]] = (
                value[:_MAX_ATTRIBUTE_CHARS] if isinstance(value, str) else value
            )
    return found


def _nanos(span: dict[str, Any], field: str, path: str) -> int:
    try:
        value = int(span[field])
    except (KeyError, TypeError, ValueError):
        raise InvalidTrace(f"{path}.{field}", f"{field} must be a time in nanoseconds") from None
    if not 0 <= value < _MAX_NANOS:
        raise InvalidTrace(f"{path}.{field}", f"{field} must be an unsigned 64-bit integer")
    return value


def _kind(attributes: dict[str, Any], span_kind: Any) -> str:
    db_system = attributes.get("db.system") or attributes.get("db.system.name")
    if db_system:
        return "cache" if str(db_system).lower() in _CACHE_SYSTEMS else "db"
    if "messaging.system" in attributes:
        return "queue"
    if "aws.s3.bucket" in attributes or (
        attributes.get("rpc.system") == "aws-api" and attributes.get("rpc.service") == "S3"
    ):
        return "storage"
    if "rpc.system" in attributes:
        return "rpc"
    is_http = any(
        key in attributes for key in ("http.request.method", "http.method", "url.full", "http.url")
    )
    if is_http and span_kind in _CLIENT_KINDS:
        return "http"
    return "internal"


def _target(attributes: dict[str, Any]) -> str | None:
    url = attributes.get("url.full") or attributes.get("http.url")
    if url:
        return str(url)
    host = attributes.get("server.address") or attributes.get("net.peer.name")
    port = attributes.get("server.port") or attributes.get("net.peer.port")
    where = f"{host}:{port}" if host and port else (str(host) if host else None)
    database = attributes.get("db.namespace") or attributes.get("db.name")
    destination = attributes.get("messaging.destination.name")
    extra = database or destination or attributes.get("aws.s3.bucket")
    if where and extra:
        return f"{where}/{extra}"
    return where or (str(extra) if extra else None)


def _failure(span: dict[str, Any]) -> tuple[str, str | None]:
    raw_status = span.get("status")
    status: dict[str, Any] = raw_status if isinstance(raw_status, dict) else {}
    if status.get("code") not in _ERROR_CODES:
        return "ok", None
    message = status.get("message") or None
    exception_type = ""
    for event in span.get("events") or []:
        if isinstance(event, dict) and event.get("name") == "exception":
            found = _attributes(event.get("attributes"))
            message = message or found.get("exception.message")
            exception_type = str(found.get("exception.type") or "")
    text = f"{message or ''} {exception_type}".lower()
    timed_out = "timeout" in text or "timed out" in text or "deadline" in text
    return ("timeout" if timed_out else "error"), (str(message) if message else "failed")


def _spans(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each span with its JSON path and its resource's attributes."""
    resource_spans = document.get("resourceSpans")
    if not isinstance(resource_spans, list):
        raise InvalidTrace("$.resourceSpans", "resourceSpans must be a list")
    for r_index, resource_span in enumerate(resource_spans):
        base = f"$.resourceSpans[{r_index}]"
        if not isinstance(resource_span, dict):
            raise InvalidTrace(base, "each of resourceSpans must be an object")
        resource = _attributes((resource_span.get("resource") or {}).get("attributes"))
        # Before OTLP 0.15 the scopes were called instrumentation libraries.
        scopes_key = (
            "scopeSpans" if "scopeSpans" in resource_span else "instrumentationLibrarySpans"
        )
        for s_index, scope in enumerate(resource_span.get(scopes_key) or []):
            scope_path = f"{base}.{scopes_key}[{s_index}]"
            spans = scope.get("spans") if isinstance(scope, dict) else None
            if not isinstance(spans, list):
                raise InvalidTrace(f"{scope_path}.spans", "spans must be a list")
            for index, span in enumerate(spans):
                path = f"{scope_path}.spans[{index}]"
                if not isinstance(span, dict):
                    raise InvalidTrace(path, "each span must be an object")
                yield path, span, resource


def convert(document: dict[str, Any]) -> dict[str, Any]:
    """The OTLP/JSON ``document`` as a trace in the platform's format (not yet validated)."""
    nodes: dict[str, dict[str, Any]] = {}
    parents: dict[str, str] = {}
    order: list[str] = []
    times: dict[str, tuple[int, int]] = {}
    service = None
    for path, span, resource in _spans(document):
        if len(order) == MAX_SPANS:
            raise InvalidTrace(path, f"more than {MAX_SPANS} spans")
        span_id = span.get("spanId")
        if not isinstance(span_id, str) or not span_id:
            raise InvalidTrace(f"{path}.spanId", "every span needs a spanId")
        if span_id in nodes:
            raise InvalidTrace(f"{path}.spanId", f"the spanId {span_id} appears twice")
        start, end = _nanos(span, "startTimeUnixNano", path), _nanos(span, "endTimeUnixNano", path)
        if end < start:
            raise InvalidTrace(f"{path}.endTimeUnixNano", "the span ends before it starts")
        attributes = _attributes(span.get("attributes"))
        status, error = _failure(span)
        nodes[span_id] = {
            "name": str(span.get("name") or "unnamed")[:200] or "unnamed",
            "kind": _kind(attributes, span.get("kind")),
            "target": _target(attributes),
            "status": status,
            "error": error,
            "attributes": attributes,
            "children": [],
        }
        if nodes[span_id]["target"] is None:
            del nodes[span_id]["target"]
        times[span_id] = (start, end)
        parent = span.get("parentSpanId")
        if isinstance(parent, str) and parent:
            parents[span_id] = parent
        order.append(span_id)
        service = service or resource.get("service.name")
    if not order:
        return {"format": FORMAT, "spans": []}
    origin = min(start for start, _end in times.values())
    by_start = sorted(order, key=lambda key: times[key][0])
    for span_id in by_start:
        start, end = times[span_id]
        nodes[span_id]["start_ms"] = (start - origin) / 1e6
        nodes[span_id]["duration_ms"] = (end - start) / 1e6
    trace: dict[str, Any] = {
        "format": FORMAT,
        "duration_ms": (max(end for _start, end in times.values()) - origin) / 1e6,
        "spans": _tree(by_start, nodes, parents),
    }
    if service:
        trace["service"] = str(service)[:200]
    return trace


def _tree(
    by_start: list[str], nodes: dict[str, dict[str, Any]], parents: dict[str, str]
) -> list[dict[str, Any]]:
    """The roots, each span under its parent, in one pass over the spans (a long chain of
    parents must not cost a walk to the root per span). A span whose parent is in
    another process is a root here; so is the earliest span of a loop of parents."""
    children: dict[str, list[str]] = {}
    for span_id in by_start:
        parent = parents.get(span_id)
        if parent in nodes and parent != span_id:
            children.setdefault(parent, []).append(span_id)
    roots: list[dict[str, Any]] = []
    placed: set[str] = set()
    starts = [span_id for span_id in by_start if parents.get(span_id) not in nodes]
    # Spans no root reaches are in loops: each loop is entered at its earliest span.
    for start in [*starts, *by_start]:
        if start in placed:
            continue
        placed.add(start)
        roots.append(nodes[start])
        pending = [start]
        while pending:
            parent = pending.pop()
            for child in children.get(parent, ()):
                if child not in placed:
                    placed.add(child)
                    nodes[parent]["children"].append(nodes[child])
                    pending.append(child)
    roots.sort(key=lambda node: node["start_ms"])
    return roots
