"""How big and how deep what a run sends and receives may be: past these, storing and
serialising it (or the schema's recursive walk) would exhaust the stack or the memory."""

from __future__ import annotations

from typing import Any

MAX_PARAMETER_BYTES = 64 * 1024
"""Parameters are stored with every run and in the append-only audit log."""
MAX_NESTING = 32
"""For parameters and a trace's result: JSON nested deeper than this is not a value a
person fills in or reads."""


def json_depth(value: Any) -> int:
    """How deep ``value`` nests (a scalar is 0), counted without recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest
