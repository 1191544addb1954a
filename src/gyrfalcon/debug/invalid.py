"""The one error of reading a trace: where it breaks the format, and how."""

from __future__ import annotations


class InvalidTrace(ValueError):
    """The answer means to be a trace but breaks the format at ``path`` (a JSON path)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
