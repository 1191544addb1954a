"""The API's OpenAPI document and Swagger UI, for logged-in users only; every error
response is documented as RFC 9457 problem+json.

Swagger UI's scripts and styles come from the ``swagger-ui-py`` package and are served
from this origin: no CDN to trust, and the page runs under the Content-Security-Policy
(its start-up script is a file, ``apidocs/swagger-init.js``, not an inline script).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from gyrfalcon.core.errors import PROBLEM_MEDIA_TYPE
from gyrfalcon.core.security import AUTHENTICATED


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the field at fault, e.g. `base_url`")
    message: str


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldProblem] | None = None


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_COMMON_ERRORS = {
    "401": "Not logged in",
    "403": "Logged in, but without the permission",
    "404": "No such object",
    "409": "Conflicts with an existing object",
    "422": "Invalid input; `errors` names each field",
}


def install_problem_openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        for path in document.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                errors = dict(_COMMON_ERRORS)
                if "requestBody" in operation:
                    errors["400"] = "The body is not JSON (or not UTF-8)"
                for status, description in errors.items():
                    responses[status] = {
                        "description": description,
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}},
                    }
        app.openapi_schema = document
        return document

    app.openapi = build  # type: ignore[method-assign]


_DOCS_DIR = Path(__file__).resolve().parent / "apidocs"
_SWAGGER_UI_DIR = Path(str(files("swagger_ui") / "static"))


def install_api_docs(app: FastAPI, prefix: str) -> None:
    """Serves the document and Swagger UI behind login (the browser's session cookie
    authenticates Swagger UI's own fetch of the document). Swagger UI's own files are
    public: they are the same for everyone and hold nothing of this API."""
    guard = [Depends(AUTHENTICATED)]

    @app.get(f"{prefix}/openapi.json", include_in_schema=False, dependencies=guard)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(f"{prefix}/docs", include_in_schema=False, dependencies=guard)
    async def swagger_ui_page() -> FileResponse:
        return FileResponse(_DOCS_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get(f"{prefix}/docs/swagger-init.js", include_in_schema=False, dependencies=guard)
    async def swagger_ui_init() -> FileResponse:
        return FileResponse(_DOCS_DIR / "swagger-init.js", media_type="text/javascript")

    app.mount(
        f"{prefix}/docs/assets", StaticFiles(directory=_SWAGGER_UI_DIR), name="swagger-ui-assets"
    )
