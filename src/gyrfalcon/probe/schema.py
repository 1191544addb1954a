"""The trace format's JSON Schema, read from the file shipped beside this package, the
same document the platform serves at ``GET /api/v1/debug/trace-schema``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "trace.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    text = resources.files("gyrfalcon.probe").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
