"""The console's API as the demo uses it: logged in, and every object made only once.

The demo registers everything the way an operator's script would, over HTTP with a
login, so what it does is audited and checked like any change made in the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from gyrfalcon.demo.base import DemoError

_API = "/api/v1"
_PAGE = {"limit": 500}


class Console:
    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.Client(base_url=url + _API, timeout=30)

    def close(self) -> None:
        self._http.close()

    def log_in(self, username: str, password: str) -> bool:
        """True when the console accepts the login (and this client now acts as it)."""
        answer = self._http.post("/auth/login", json={"username": username, "password": password})
        if answer.status_code != 200:
            return False
        self._http.headers["X-CSRF-Token"] = self._http.cookies["gyrfalcon_csrf"]
        return True

    @staticmethod
    def accepts(url: str, username: str, password: str) -> bool:
        """Whether the console takes this login, tried on a client of its own."""
        other = Console(url)
        try:
            return other.log_in(username, password)
        finally:
            other.close()

    def call(self, method: str, path: str, body: object = None, **params: Any) -> Any:
        answer = self._http.request(method, path, json=body, params=params or None)
        if answer.is_error:
            raise DemoError(f"{method} {path} answered {answer.status_code}: {_reason(answer)}")
        return answer.json() if answer.content else None

    def items(self, path: str, **params: Any) -> list[dict[str, Any]]:
        found = self.call("GET", path, **{**_PAGE, **params})
        return list(found["items"] if isinstance(found, dict) else found)

    def ensure(
        self, path: str, wanted: Mapping[str, Any], *, key: str = "name", address: str = "id"
    ) -> dict[str, Any]:
        """The object of ``path`` whose ``key`` is ``wanted[key]``: created when missing,
        and where it differs from ``wanted`` in a field the answer shows, changed back
        (at ``path/<its address field>``). A second run so reuses what the first made."""
        existing = next((item for item in self.items(path) if item[key] == wanted[key]), None)
        if existing is None:
            created: dict[str, Any] = self.call("POST", path, dict(wanted))
            return created
        changes = {
            field: value
            for field, value in wanted.items()
            if field in existing and existing[field] != value
        }
        if not changes:
            return existing
        updated: dict[str, Any] = self.call("PATCH", f"{path}/{existing[address]}", changes)
        return updated


def _reason(answer: httpx.Response) -> str:
    try:
        problem = answer.json()
    except ValueError:
        return answer.text[:200]
    errors = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in problem.get("errors", []))
    return " ".join(part for part in (problem.get("detail", ""), errors) if part)
