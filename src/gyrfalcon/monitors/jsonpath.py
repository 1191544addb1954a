"""JSON paths of HTTP monitors, compiled once (jsonpath-ng's extended syntax)."""

from __future__ import annotations

from functools import lru_cache

from jsonpath_ng import JSONPath
from jsonpath_ng.ext.parser import parse


@lru_cache(maxsize=1024)
def parse_json_path(expression: str) -> JSONPath:
    """The compiled path, or ValueError with the parser's complaint."""
    try:
        return parse(expression)
    except Exception as exc:  # the parser raises several unrelated exception types
        raise ValueError(f"invalid JSON path: {exc}") from exc
