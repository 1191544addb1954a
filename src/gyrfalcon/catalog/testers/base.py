"""The contract every connection tester fulfils.

A tester tries one connection the way Gyrfalcon will use it, within a hard
time limit, and turns whatever goes wrong into a sentence an engineer can act
on (connection refused, authentication failed, unknown database ...). It never
raises: a watched system being down is a result, not an error.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from pydantic import BaseModel

from gyrfalcon.catalog.schemas import ConnectionTestResult

ConfigT_contra = TypeVar("ConfigT_contra", bound=BaseModel, contravariant=True)


class ConnectionTester(Protocol[ConfigT_contra]):
    async def test(
        self, config: ConfigT_contra, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        """Try the connection; ``base_url`` is the owning service's, when it has one."""
        ...
