"""The UI's typed client is generated from the committed OpenAPI document; this test
fails when the API changed and `make api-client` was not run."""

from __future__ import annotations

import json
from pathlib import Path

from gyrfalcon.openapi_export import openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / "ui" / "src" / "api" / "openapi.json"


def test_ui_openapi_document_matches_the_api() -> None:
    committed = json.loads(COMMITTED.read_text())
    assert committed == openapi_document(), "the UI's API client is stale: run `make api-client`"


def test_every_error_is_documented_as_problem_json() -> None:
    document = openapi_document()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    responses = document["paths"]["/api/v1/services"]["post"]["responses"]
    assert "application/problem+json" in responses["422"]["content"]
