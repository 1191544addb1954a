"""The methods a path answers, for the ``Allow`` header of a 405.

Starlette answers a 405 from the first route whose path matches and names only that
route's methods; FastAPI registers each method of a path as its own route (``GET``
and ``POST /services`` are two) and keeps included routers nested, so that header
would leave methods out. This asks every route, at its full path, instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from fastapi.routing import iter_route_contexts
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Match, Route, compile_path
from starlette.types import Scope

_Matcher = Callable[[Scope], bool]


def allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for matches, route_methods in _method_table(request.app):
        if matches(request.scope):
            methods.update(route_methods)
    return sorted(methods)


@functools.lru_cache(maxsize=8)
def _method_table(app: Starlette) -> list[tuple[_Matcher, frozenset[str]]]:
    # Built once per app: the routes do not change after start-up.
    top_level = {id(route) for route in app.router.routes}
    table: list[tuple[_Matcher, frozenset[str]]] = []
    for context in iter_route_contexts(app.router.routes):
        route = context.original_route
        if not (context.path and context.methods):
            continue
        if id(route) in top_level and isinstance(route, Route):
            # Its own matching, which may refuse paths (the UI's catch-all does).
            table.append((_route_matcher(route), frozenset(context.methods)))
        else:
            pattern, _, _ = compile_path(context.path)
            table.append((_pattern_matcher(pattern.match), frozenset(context.methods)))
    return table


def _route_matcher(route: Route) -> _Matcher:
    return lambda scope: route.matches(scope)[0] is not Match.NONE


def _pattern_matcher(match: Callable[[str], object]) -> _Matcher:
    return lambda scope: match(scope["path"]) is not None
