"""Serves the built single-page app at ``/`` with a fallback to ``index.html``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match, Route
from starlette.types import Scope

_PACKAGED_UI = Path(__file__).resolve().parent.parent / "static"
_RESERVED_PREFIXES = ("api/", "healthz", "readyz", "metrics")


def mount_spa(app: FastAPI, ui_dir: Path | None) -> None:
    root = (ui_dir or _PACKAGED_UI).resolve()
    index = root / "index.html"
    if (root / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=root / "assets"), name="ui-assets")

    async def spa(request: Request) -> Response:
        path: str = request.path_params["path"]
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        if not index.is_file():
            return PlainTextResponse(
                "The web UI is not built. Run `make run` (or `make ui`) to build it; "
                "the API is at /api/v1/docs.",
                status_code=503,
            )
        # index.html must not be cached: it names the hashed assets of the current build.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.router.routes.append(_UiRoute("/{path:path}", spa, methods=["GET"]))


class _UiRoute(Route):
    """The app's catch-all, blind to the API's and the probes' paths: there a path no
    route serves is a 404 problem, and a method the path does not take a 405 with its
    ``Allow`` header, rather than the UI's index page claiming the path."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].lstrip("/").startswith(_RESERVED_PREFIXES):
            return Match.NONE, {}
        return super().matches(scope)
