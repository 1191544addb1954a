"""The demo's people: the advertising team engineer and the role that keeps them to one
service. Their password is kept in the demo's folder (readable by the OS user only) so
a second run can print it again; if it no longer works, the demo sets a new one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gyrfalcon.demo.console import Console
from gyrfalcon.demo.samples import ENGINEER_SERVICE

ENGINEER = "ads-engineer"
ENGINEER_ROLE = "advertising-engineer"
LOGINS_FILE = "logins.txt"
# Who manages access and reads everyone's audit trail stays with the admins.
_ADMIN_ONLY_MODULES = frozenset({"access", "audit"})


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    who: str
    notes: tuple[str, ...] = ()
    """What the demo changed on an account it found, for the summary."""


def ensure_engineer(console: Console, folder: Path) -> Login:
    role = console.ensure(
        "/roles",
        {
            "name": ENGINEER_ROLE,
            "description": f"The advertising team's engineers: only the {ENGINEER_SERVICE} "
            "service, where they may also handle alerts (demo).",
            "grants": _engineer_grants(console),
        },
    )
    remembered, notes = _remembered(folder), []
    user = next((u for u in console.items("/users", q=ENGINEER) if u["username"] == ENGINEER), None)
    if user is None:
        password = _new_password()
        user = console.call(
            "POST",
            "/users",
            {
                "username": ENGINEER,
                "display_name": "Avery Adams",
                "email": "avery.adams@example.com",
                "password": password,
                "roles": [role["id"]],
            },
        )
    else:
        if not user["is_active"]:
            console.call("PATCH", f"/users/{user['id']}", {"is_active": True})
            notes.append(f"{ENGINEER} was deactivated; the demo turned the account back on.")
        password = remembered or ""
        if not password or not Console.accepts(console.url, ENGINEER, password):
            password = _new_password()
            console.call("POST", f"/users/{user['id']}/password", {"password": password})
            if remembered:
                notes.append(
                    f"{ENGINEER}'s password was no longer the one the demo kept; "
                    "the demo set the new one above."
                )
        held = [r["id"] for r in user.get("roles", []) if r["source"] == "manual"]
        if role["id"] not in held:
            console.call("PATCH", f"/users/{user['id']}", {"roles": [*held, role["id"]]})
    _remember(folder, password)
    who = f"advertising team engineer: only {ENGINEER_SERVICE}"
    return Login(ENGINEER, password, who, tuple(notes))


def _engineer_grants(console: Console) -> list[dict[str, Any]]:
    """Read on every module a service-scoped role may hold, write on monitors (to
    acknowledge and mute), all limited to the one service."""
    wanted = []
    for permission in console.call("GET", "/permissions"):
        module, action = permission["module"], permission["action"]
        if module in _ADMIN_ONLY_MODULES or not (
            action == "read" or (module, action) == ("monitors", "write")
        ):
            continue
        wanted.append(
            {"module": module, "action": action, "scope": "services", "targets": [ENGINEER_SERVICE]}
        )
    return wanted


def _new_password() -> str:
    return secrets.token_urlsafe(12)


def _remembered(folder: Path) -> str | None:
    path = folder / LOGINS_FILE
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        name, _, password = line.partition(": ")
        if name == ENGINEER:
            return password
    return None


def _remember(folder: Path, password: str) -> None:
    path = folder / LOGINS_FILE
    path.touch(mode=0o600)
    path.write_text(f"{ENGINEER}: {password}\n")
