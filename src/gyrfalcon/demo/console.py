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
_PAGE_SIZE = 500


class Console:
    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.Client(base_url=url + _API, timeout=30)

    def close(self) -> None:
        self._http.close()

    def log_in(self, username: str, password: str) -> bool:
        """True when the console accepts the login (and this client now acts as it)."""
        try:
            answer = self._http.post(
                "/auth/login", json={"username": username, "password": password}
            )
        except httpx.HTTPError as exc:
            raise DemoError(f"cannot reach the console at {self.url}: {exc}") from None
        if answer.status_code != 200:
            return False
        self._http.headers["X-CSRF-Token"] = self._http.cookies["gyrfalcon_csrf"]
        return True

    @staticmethod
    def accepts(url: str, username: str, password: str) -> bool:
        """Whether the console takes this login, tried on a client of its own (whose
        session is closed again)."""
        other = Console(url)
        try:
            accepted = other.log_in(username, password)
            if accepted:
                other.call("POST", "/auth/logout")
            return accepted
        finally:
            other.close()

    def call(self, method: str, path: str, body: object = None, **params: Any) -> Any:
        try:
            answer = self._http.request(method, path, json=body, params=params or None)
        except httpx.HTTPError as exc:
            raise DemoError(f"{method} {path}: cannot reach the console: {exc}") from None
        if answer.is_error:
            raise DemoError(f"{method} {path} answered {answer.status_code}: {_reason(answer)}")
        return answer.json() if answer.content else None

    def items(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every object of a list endpoint, page after page (or the plain list)."""
        found: list[dict[str, Any]] = []
        while True:
            page = self.call("GET", path, **params, limit=_PAGE_SIZE, offset=len(found))
            if not isinstance(page, dict):
                return list(page)
            found += page["items"]
            if not page["items"] or len(found) >= page["total"]:
                return found

    def ensure(
        self,
        path: str,
        wanted: Mapping[str, Any],
        *,
        key: str = "name",
        address: str = "id",
        secrets: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The object of ``path`` whose ``key`` is ``wanted[key]``: created when missing,
        and where it differs from ``wanted`` in a field the answer shows, changed back
        (at ``path/<its address field>``). A second run so reuses what the first made.
        ``secrets`` (a password) go with the creation, and with any change, since a
        changed address drops the stored secret, or when the object has none stored."""
        secrets = secrets or {}
        existing = next((item for item in self.items(path) if item[key] == wanted[key]), None)
        if existing is None:
            created: dict[str, Any] = self.call("POST", path, {**wanted, **secrets})
            return created
        changes = {
            field: value
            for field, value in wanted.items()
            if field in existing and existing[field] != value
        }
        if changes or not all(existing.get(f"{name}_set") for name in secrets):
            changes.update(secrets)
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
