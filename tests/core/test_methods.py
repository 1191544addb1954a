"""A method a path does not take is a 405 problem whose ``Allow`` header names every
method the path does take (issue 8, item 15: schemathesis saw ``Allow`` name only one
of them), and a path nothing serves is a 404 problem, also under /api/."""

from __future__ import annotations

import re
from collections import defaultdict

import httpx
from fastapi import FastAPI
from starlette.routing import compile_path

from gyrfalcon.core.errors import PROBLEM_MEDIA_TYPE
from gyrfalcon.core.routes import api_routes

_ALL = {"GET", "POST", "PUT", "PATCH", "DELETE"}


async def test_every_path_names_all_its_methods_in_allow(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    methods: defaultdict[str, set[str]] = defaultdict(set)
    for flat in api_routes(app.routes):
        if flat.route.include_in_schema:
            methods[flat.path].update(flat.methods)
    patterns = {path: compile_path(path)[0] for path in methods}
    checked = 0
    for path in methods:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        # ``/services/1/redis/test`` also fits ``/services/{service}/redis/{connection_id}``.
        allowed = set().union(*(methods[p] for p, rx in patterns.items() if rx.match(concrete)))
        for method in sorted(_ALL - allowed):
            response = await admin.request(method, concrete)
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
            assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
            named = {m.strip() for m in response.headers["allow"].split(",")}
            assert named - {"HEAD"} == allowed, f"{method} {path}: {named}"
            checked += 1
    assert checked > 100


async def test_unknown_api_paths_are_a_404_problem(anonymous: httpx.AsyncClient) -> None:
    for path in ("/api/v1/no-such-thing", "/api/v2", "/healthz/extra"):
        response = await anonymous.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        assert path in response.json()["detail"]


async def test_the_ui_still_serves_its_own_paths(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/monitors")
    assert response.status_code in (200, 503)
    assert response.headers["content-type"].startswith(("text/html", "text/plain"))
