"""Every API route declares who may call it, and unauthenticated calls get 401."""

from __future__ import annotations

import re
import typing

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic.fields import FieldInfo

from gyrfalcon.core.params import MAX_DB_INT, MAX_ID
from gyrfalcon.core.routes import api_routes
from gyrfalcon.core.security import Requirement, RouteGuard


def _requirements(route: APIRoute) -> list[Requirement]:
    found = []
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        if isinstance(dependant.call, RouteGuard):
            found.append(dependant.call.requirement)
        stack.extend(dependant.dependencies)
    return found


def test_every_route_declares_exactly_one_requirement(app: FastAPI) -> None:
    flat = [r for r in api_routes(app.routes) if r.route.include_in_schema]
    missing = [f"{sorted(r.methods)} {r.path}" for r in flat if len(_requirements(r.route)) != 1]
    assert len(flat) > 30
    assert missing == []


async def test_every_non_public_route_answers_401_without_credentials(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    checked = 0
    for flat in api_routes(app.routes):
        if not flat.route.include_in_schema or _requirements(flat.route)[0].public:
            continue
        path = re.sub(r"\{[^}]+\}", "1", flat.path)
        for method in flat.methods:
            response = await anonymous.request(method, path, json={})
            assert response.status_code == 401, f"{method} {flat.path}: {response.status_code}"
            checked += 1
    assert checked > 40


async def test_every_guarded_route_answers_403_without_the_grant(app: FastAPI) -> None:
    """A logged-in user without any role meets a 403 on every route that needs a permission
    (routes for one's own account need none)."""
    from tests.conftest import add_user, login

    await add_user(app, "nobody", admin=False)
    transport = httpx.ASGITransport(app=app)
    checked = 0
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await login(client, "nobody")
        for flat in api_routes(app.routes):
            requirement = _requirements(flat.route)[0] if flat.route.include_in_schema else None
            if requirement is None or requirement.public or requirement.module is None:
                continue
            path = re.sub(r"\{[^}]+\}", "1", flat.path)
            for method in flat.methods:
                response = await client.request(method, path, json={})
                assert response.status_code == 403, f"{method} {flat.path}: {response.text}"
                checked += 1
    assert checked > 40


def _upper_bound(field_info: FieldInfo) -> int | None:
    bounds = [
        int(value)
        for constraint in field_info.metadata
        for value in (getattr(constraint, "le", None), getattr(constraint, "lt", None))
        if value is not None
    ]
    return min(bounds) if bounds else None


def _is_int(annotation: object) -> bool:
    return annotation is int or int in typing.get_args(annotation)


def test_every_integer_path_and_query_parameter_fits_in_64_bits(app: FastAPI) -> None:
    """A larger number would overflow in the database driver (a 500): every route's
    integer parameter, in its own signature or in a dependency, carries an upper bound
    (``core.params.Id``, the pagination bounds) that a 64-bit integer holds, and an id
    one that the 32-bit id columns hold."""
    unbounded = []
    checked = 0
    for flat in api_routes(app.routes):
        stack = [flat.route.dependant]
        while stack:
            dependant = stack.pop()
            stack.extend(dependant.dependencies)
            for param in (*dependant.path_params, *dependant.query_params):
                if not _is_int(param.field_info.annotation):
                    continue
                checked += 1
                bound = _upper_bound(param.field_info)
                limit = MAX_ID if param.name.endswith("_id") else MAX_DB_INT
                if bound is None or bound > limit:
                    unbounded.append(f"{sorted(flat.methods)} {flat.path} {param.name}")
    assert checked > 40
    assert unbounded == []
