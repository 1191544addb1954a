"""A debug request and its answer, as the ASGI and WSGI adapters hand them to the Probe
and back: plain data, so that routing, authentication and tracing exist once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PATH_SAFE = "/:@!$&'()*+,;="
"""Characters a path may carry unescaped (RFC 3986 pchar), kept as they are when a server
hands over no raw path and it has to be quoted again for the signature."""


@dataclass(frozen=True)
class Request:
    method: str
    route: str
    """The path below where the probe is mounted: what endpoints are registered as."""
    mount: str
    """Where the probe is mounted ("" at the root), put back in the trace's endpoint."""
    path_and_query: str
    """The path as sent, plus "?" and the query when there is one: what was signed."""
    query: str
    headers: Mapping[str, str]
    """By lower-case name."""
    body: bytes


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


def json_response(status: int, payload: Any, *headers: tuple[str, str]) -> Response:
    body = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
    return Response(
        status,
        body,
        (
            ("content-type", "application/json"),
            ("content-length", str(len(body))),
            # A trace is one moment of the dependencies; a cached one would mislead.
            ("cache-control", "no-store"),
            *headers,
        ),
    )


def error_response(status: int, message: str, *headers: tuple[str, str]) -> Response:
    return json_response(status, {"error": message}, *headers)
