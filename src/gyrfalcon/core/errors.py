"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gyrfalcon.core.methods import allowed_methods
from gyrfalcon.core.requestid import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
_logger = logging.getLogger(__name__)


class ProblemError(Exception):
    """Raise anywhere to answer with a problem+json document."""

    status: int = 400
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.errors = errors
        self.headers = headers


class NotFound(ProblemError):
    status = 404
    title = "Not found"


class Conflict(ProblemError):
    status = 409
    title = "Conflict"


class Unauthorized(ProblemError):
    status = 401
    title = "Authentication required"


class Forbidden(ProblemError):
    status = 403
    title = "Forbidden"


class InvalidInput(ProblemError):
    """A 422 naming the field at fault, for checks pydantic cannot make alone."""

    status = 422
    title = "Invalid input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])


class FieldError(ValueError):
    """Raised inside a pydantic model validator to blame one field rather than the model."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def validation_errors(raw: list[Any], *, prefix: tuple[Any, ...] = ()) -> list[dict[str, str]]:
    """Pydantic errors as ``[{field, message}]`` with dotted paths a person can find."""
    errors = []
    for err in raw:
        location = (*prefix, *err.get("loc", ()))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldError):
            location = (*location, cause.field)
            message = str(cause)
        else:
            message = str(err.get("msg", "")).removeprefix("Value error, ")
        errors.append({"field": _field_path(location), "message": message})
    return errors


def invalid_input(errors: list[dict[str, str]]) -> ProblemError:
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return ProblemError(summary, status=422, title="Invalid input", errors=errors)


def problem_response(
    status: int,
    title: str,
    detail: str,
    request: Request,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": current_request_id(),
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_path(location: tuple[Any, ...]) -> str:
    # "body" says nothing to the client; the rest names the field as it was sent.
    return ".".join(str(part) for part in location if part != "body") or "body"


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status, exc.title, exc.detail, request, errors=exc.errors, headers=exc.headers
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if broken := next((error for error in errors if error.get("type") == "json_invalid"), None):
        reason = (broken.get("ctx") or {}).get("error", "it cannot be parsed")
        at = broken.get("loc", ("body", "?"))[-1]
        detail = f"The body is not JSON: {reason} (at character {at})."
        return problem_response(400, "Malformed body", detail, request)
    problem = invalid_input(validation_errors(errors))
    return problem_response(422, problem.title, problem.detail, request, errors=problem.errors)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Error")
    detail = str(exc.detail)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 404:
        detail = f"There is no endpoint at {request.url.path}; the API is listed at /api/v1/docs."
    elif exc.status_code == 405:
        allowed = allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        detail = f"{request.method} is not allowed here; use {', '.join(allowed)}."
    return problem_response(exc.status_code, title, detail, request, headers=headers or None)


class UnexpectedErrorMiddleware:
    """Answers an unhandled exception with a 500 problem that carries the request id.

    Starlette's own last-resort handler sits outside every middleware, where the request
    id is already gone; this one runs inside the request-id middleware.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            _logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if started:
                raise
            response = problem_response(
                500,
                "Internal error",
                "An unexpected error occurred; quote the request id when reporting it.",
                Request(scope),
            )
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
