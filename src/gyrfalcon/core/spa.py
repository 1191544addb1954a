"""Serves the built single-page app at ``/`` with a fallback to ``index.html``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from gyrfalcon.core.errors import NotFound

_PACKAGED_UI = Path(__file__).resolve().parent.parent / "static"
_RESERVED_PREFIXES = ("api/", "healthz", "readyz", "metrics")


def mount_spa(app: FastAPI, ui_dir: Path | None) -> None:
    root = (ui_dir or _PACKAGED_UI).resolve()
    index = root / "index.html"
    if (root / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=root / "assets"), name="ui-assets")

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        if path.startswith(_RESERVED_PREFIXES):
            raise NotFound(f"There is no API endpoint at /{path}.")
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
