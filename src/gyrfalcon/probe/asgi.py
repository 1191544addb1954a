"""The Probe as a raw ASGI app, so it mounts in FastAPI or Starlette (``app.mount``) and
runs under any ASGI server without either being required."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from gyrfalcon.probe.exchange import PATH_SAFE, Request, Response, error_response

if TYPE_CHECKING:
    from gyrfalcon.probe.app import Probe

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class ProbeASGI:
    """Answers the probe's paths (below ``root_path`` when mounted at a prefix), 404 for
    the rest; completes the lifespan protocol when it is the server's only app."""

    def __init__(self, probe: Probe) -> None:
        self.probe = probe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            # A websocket handshake: refused, the probe speaks HTTP only.
            await send({"type": "websocket.close", "code": 1008})
            return
        body = await _body(receive, self.probe.max_body_bytes)
        if body is None:
            response = error_response(413, f"the body is over {self.probe.max_body_bytes} bytes")
        else:
            response = await self.probe.respond(_request(scope, body))
        await _send(send, response)


def _request(scope: Scope, body: bytes) -> Request:
    path: str = scope["path"]
    mount: str = scope.get("root_path", "")
    # Starlette's Mount keeps the whole path and puts the prefix in root_path.
    route = path[len(mount) :] if mount and path.startswith(mount) else path
    raw_path: bytes | None = scope.get("raw_path")
    sent_path = raw_path.decode("latin-1") if raw_path else quote(path, safe=PATH_SAFE)
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    return Request(
        method=scope["method"].upper(),
        route=route or "/",
        mount=mount,
        path_and_query=f"{sent_path}?{query}" if query else sent_path,
        query=query,
        headers={
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", ())
        },
        body=body,
    )


async def _body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None past ``limit`` bytes (not read further)."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send(send: Send, response: Response) -> None:
    headers = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers
    ]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
