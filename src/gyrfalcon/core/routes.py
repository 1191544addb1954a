"""A flat view of the app's API routes with their full paths.

FastAPI keeps included routers nested; metrics labels and the route-guard test
need each endpoint with its full template, which ``iter_route_contexts`` gives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute


@dataclass(frozen=True)
class FlatRoute:
    path: str
    methods: frozenset[str]
    route: APIRoute


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[FlatRoute]:
    for context in iter_route_contexts(routes):
        original = context.original_route
        if isinstance(original, APIRoute) and context.path:
            yield FlatRoute(context.path, frozenset(context.methods or ()), original)
