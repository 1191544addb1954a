"""The Probe: a service's debug endpoints, each handler run inside a fresh trace and
answered with it, behind the platform's authentication, served over ASGI or WSGI."""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from gyrfalcon.probe.auth import Authenticator
from gyrfalcon.probe.exchange import Request, Response, error_response, json_response
from gyrfalcon.probe.parameters import METHODS, BadParameters, parameters
from gyrfalcon.probe.trace import MAX_ENDPOINT, MAX_SERVICE, MAX_SPANS, Trace

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

    from gyrfalcon.probe.asgi import ProbeASGI
    from gyrfalcon.probe.wsgi import ProbeWSGI

Handler = Callable[[dict[str, Any]], Any]
H = TypeVar("H", bound=Handler)
A = TypeVar("A")
MAX_BODY_BYTES: Final = 1_000_000
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Endpoint:
    path: str
    methods: frozenset[str]
    handler: Handler
    is_async: bool


class Probe:
    """A service's debug endpoints. ``token`` (a shared bearer token) or ``hmac_secret``
    (signed requests), or both, say how the platform authenticates; with neither the
    Probe refuses to exist unless ``allow_unauthenticated=True`` says that is meant
    (a laptop, a test). ``clock`` (Unix seconds) is for tests of the signature window."""

    def __init__(
        self,
        service: str,
        *,
        token: str | None = None,
        hmac_secret: str | bytes | None = None,
        allow_unauthenticated: bool = False,
        clock: Callable[[], float] = time.time,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_spans: int = MAX_SPANS,
    ) -> None:
        if not service or len(service) > MAX_SERVICE:
            raise ValueError(f"the service name must be 1 to {MAX_SERVICE} characters")
        self.service = service
        self.max_body_bytes = max_body_bytes
        self._max_spans = max_spans
        self._authenticator: Authenticator | None = None
        if token is not None or hmac_secret is not None:
            self._authenticator = Authenticator(token=token, hmac_secret=hmac_secret, clock=clock)
        elif not allow_unauthenticated:
            raise ValueError(
                "a Probe needs token= or hmac_secret= (debug endpoints show the insides of"
                " a service); pass allow_unauthenticated=True to serve them to anyone"
            )
        self._endpoints: dict[str, Endpoint] = {}

    def endpoint(self, path: str, methods: Iterable[str] = ("GET",)) -> Callable[[H], H]:
        """Register ``handler(params) -> result`` (``def`` or ``async def``) at ``path``,
        below where the probe is mounted. What it returns is the trace's ``result``."""
        allowed = frozenset(method.upper() for method in methods)
        if not path.startswith("/") or len(path) > MAX_ENDPOINT:
            raise ValueError(f"an endpoint path starts with / and fits {MAX_ENDPOINT} characters")
        if not allowed or not allowed <= METHODS:
            raise ValueError(f"methods must be some of {', '.join(sorted(METHODS))}")
        if path in self._endpoints:
            raise ValueError(f"{path} is already a debug endpoint; give all its methods at once")

        def register(handler: H) -> H:
            is_async = inspect.iscoroutinefunction(handler)
            self._endpoints[path] = Endpoint(path, allowed, handler, is_async)
            return handler

        return register

    def serves(self, route: str) -> bool:
        """Whether ``route`` is one of the probe's paths (the rest go to a wrapped app)."""
        return route in self._endpoints

    def asgi(self) -> ProbeASGI:
        """An ASGI app of the debug endpoints, to mount: ``app.mount("/", debug.asgi())``
        after the app's own routes, or at a prefix. Sync handlers run in a thread."""
        from gyrfalcon.probe.asgi import ProbeASGI

        return ProbeASGI(self)

    def wsgi(self, fallback: WSGIApplication | None = None) -> ProbeWSGI:
        """A WSGI app of the debug endpoints; other paths go to ``fallback`` when given
        (404 otherwise). ``async def`` handlers run in an event loop of their own."""
        from gyrfalcon.probe.wsgi import ProbeWSGI

        return ProbeWSGI(self, fallback)

    def flask(self, app: A) -> A:
        """Serve the debug endpoints in front of a Flask app: its ``wsgi_app`` is wrapped,
        so the probe's paths are answered here and every other one by Flask."""
        flask_app = cast(Any, app)
        flask_app.wsgi_app = self.wsgi(fallback=flask_app.wsgi_app)
        return app

    async def respond(self, request: Request) -> Response:
        """The answer to ``request``, from inside an event loop."""
        prepared = self._prepare(request)
        if isinstance(prepared, Response):
            return prepared
        endpoint, params = prepared
        if endpoint.is_async:
            trace = await self._run_async(endpoint, params, request)
        else:
            trace = await asyncio.to_thread(self._run_sync, endpoint, params, request)
        return _answer(trace)

    def respond_sync(self, request: Request) -> Response:
        """The answer to ``request``, from a thread without an event loop (WSGI)."""
        prepared = self._prepare(request)
        if isinstance(prepared, Response):
            return prepared
        endpoint, params = prepared
        if endpoint.is_async:
            trace = asyncio.run(self._run_async(endpoint, params, request))
        else:
            trace = self._run_sync(endpoint, params, request)
        return _answer(trace)

    def _prepare(self, request: Request) -> Response | tuple[Endpoint, dict[str, Any]]:
        """The endpoint and its parameters, or the refusal: 401 first (so that nobody
        unauthenticated learns which endpoints and methods exist), then 404, 405, 400."""
        if self._authenticator is not None:
            refusal = self._authenticator.refusal(
                request.method, request.path_and_query, request.headers, request.body
            )
            if refusal is not None:
                challenge = ("www-authenticate", self._authenticator.challenge)
                return error_response(401, refusal, challenge)
        endpoint = self._endpoints.get(request.route)
        if endpoint is None:
            return error_response(404, f"no debug endpoint at {request.route[:MAX_ENDPOINT]}")
        if request.method not in endpoint.methods:
            allow = ("allow", ", ".join(sorted(endpoint.methods)))
            return error_response(405, f"{request.method} is not allowed here", allow)
        try:
            return endpoint, parameters(request)
        except BadParameters as error:
            return error_response(400, str(error))

    def _new_trace(self, endpoint: Endpoint, request: Request) -> Trace:
        return Trace(self.service, request.mount + endpoint.path, max_spans=self._max_spans)

    def _run_sync(self, endpoint: Endpoint, params: dict[str, Any], request: Request) -> Trace:
        with self._new_trace(endpoint, request) as trace:
            try:
                trace.result = endpoint.handler(params)
            except Exception as error:
                _failed(trace, endpoint, error)
        return trace

    async def _run_async(
        self, endpoint: Endpoint, params: dict[str, Any], request: Request
    ) -> Trace:
        with self._new_trace(endpoint, request) as trace:
            try:
                trace.result = await endpoint.handler(params)
            except Exception as error:
                _failed(trace, endpoint, error)
        return trace


def _failed(trace: Trace, endpoint: Endpoint, error: Exception) -> None:
    """The trace says what failed; the log keeps the traceback for the service's team."""
    trace.fail(error)
    logger.info("debug endpoint %s failed", endpoint.path, exc_info=error)


def _answer(trace: Trace) -> Response:
    """200 with the trace, also when something failed: the trace is what says so."""
    return json_response(200, trace.to_dict())
