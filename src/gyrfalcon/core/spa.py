"""Serves the built single-page app at ``/`` with a fallback to ``index.html``.

The build's assets carry a content hash in their names, so they are cached for a year
as immutable, and sent in the brotli or gzip form the build wrote beside each one when
the browser accepts it. ``index.html`` is revalidated on every visit: it names the
assets of the current build."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route
from starlette.types import Scope

_PACKAGED_UI = Path(__file__).resolve().parent.parent / "static"
_RESERVED_PREFIXES = ("api/", "healthz", "readyz", "metrics")
_IMMUTABLE = "public, max-age=31536000, immutable"
_PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header accepts (``q=0`` refuses one)."""
    accepted = set()
    for part in header.split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            accepted.add(coding.lower())
    return accepted


class _Assets(StaticFiles):
    """The hashed build assets: immutable, and precompressed when the browser takes it."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        original = await super().get_response(path, scope)
        accepted = accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        response = original
        if original.status_code == 200:
            for coding, suffix in _PRECOMPRESSED:
                if coding not in accepted:
                    continue
                try:
                    compressed = await super().get_response(path + suffix, scope)
                except HTTPException:
                    continue  # small files are not compressed
                compressed.headers["content-type"] = original.headers["content-type"]
                compressed.headers["content-encoding"] = coding
                response = compressed
                break
        response.headers["cache-control"] = _IMMUTABLE
        response.headers["vary"] = "Accept-Encoding"
        return response


def mount_spa(app: FastAPI, ui_dir: Path | None) -> None:
    root = (ui_dir or _PACKAGED_UI).resolve()
    index = root / "index.html"
    if (root / "assets").is_dir():
        app.mount("/assets", _Assets(directory=root / "assets"), name="ui-assets")

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
