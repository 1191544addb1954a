"""Every API route declares who may call it, and unauthenticated calls get 401."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute

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
