"""A debug handler's parameters: the query string for GET and DELETE, the JSON object
in the body for POST, PUT and PATCH."""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import parse_qs

from gyrfalcon.probe.exchange import Request

QUERY_METHODS: Final = frozenset({"GET", "DELETE"})
BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH"})
METHODS: Final = QUERY_METHODS | BODY_METHODS
MAX_QUERY_FIELDS: Final = 1000
_JSON_TYPES: Final[dict[type, str]] = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


class BadParameters(ValueError):
    """The request's parameters cannot be read; the message says why, for a 400."""


def parameters(request: Request) -> dict[str, Any]:
    """A query key given once is a string, one repeated a list of strings. An empty body
    is an empty object, so that a POST needs no ``{}`` to say "no parameters"."""
    if request.method in QUERY_METHODS:
        try:
            found = parse_qs(request.query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
        except ValueError as error:
            raise BadParameters(f"the query string cannot be read: {error}") from None
        return {key: values[0] if len(values) == 1 else values for key, values in found.items()}
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        raise BadParameters("the body must be a JSON object; it is not JSON") from None
    if not isinstance(body, dict):
        raise BadParameters(f"the body must be a JSON object, not {_JSON_TYPES[type(body)]}")
    return body
