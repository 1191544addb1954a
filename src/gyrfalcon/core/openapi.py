"""The API's OpenAPI document and Swagger UI, for logged-in users only; every error
response is documented as RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
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
                for status, description in _COMMON_ERRORS.items():
                    responses[status] = {
                        "description": description,
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}},
                    }
        app.openapi_schema = document
        return document

    app.openapi = build  # type: ignore[method-assign]


def install_api_docs(app: FastAPI, prefix: str) -> None:
    """Serves the document and Swagger UI behind login (the browser's session cookie
    authenticates Swagger UI's own fetch of the document)."""
    guard = [Depends(AUTHENTICATED)]

    @app.get(f"{prefix}/openapi.json", include_in_schema=False, dependencies=guard)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(f"{prefix}/docs", include_in_schema=False, dependencies=guard)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=f"{prefix}/openapi.json", title="Gyrfalcon API")
