"""The API's OpenAPI document, built without a database or secrets of the environment."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from gyrfalcon.app import create_app
from gyrfalcon.core.settings import Settings


def openapi_document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),
            database_url=f"sqlite:///{data_dir}/openapi.db",
            secret_key="openapi-export-only-key",  # noqa: S106
        )
        document: dict[str, Any] = create_app(settings, run_services=False).openapi()
    return document
