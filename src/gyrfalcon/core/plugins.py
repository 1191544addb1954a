"""The module registry: every feature, built-in or third-party, plugs in here.

A module is found through the ``gyrfalcon.modules`` entry point group and
declares its API router, its permissions, its navigation entry, its background
services and an optional setup hook. The built-in modules register exactly the
same way, so adding a module is a new package plus one entry point.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI

from gyrfalcon.core.background import BackgroundService

if TYPE_CHECKING:
    from gyrfalcon.core.crypto import SecretBox
    from gyrfalcon.core.db import Database
    from gyrfalcon.core.settings import Settings

ENTRY_POINT_GROUP = "gyrfalcon.modules"
_logger = logging.getLogger(__name__)
_MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


class ModuleError(Exception):
    """A module declaration that cannot be registered."""


@dataclass(frozen=True)
class PermissionSpec:
    action: str
    description: str


DEFAULT_PERMISSIONS = (
    PermissionSpec("read", "See the module's pages and data"),
    PermissionSpec("write", "Create, change and delete the module's objects"),
)


@dataclass(frozen=True)
class NavEntry:
    """Where the module appears in the sidebar and on the home page."""

    title: str
    path: str
    icon: str
    order: int = 100


@dataclass(frozen=True)
class AppContext:
    """What a module's background services and setup hooks may use."""

    settings: Settings
    database: Database
    secrets: SecretBox
    shared: dict[str, Any] = field(default_factory=dict)
    """Objects a module shares between its routes and its background services in one
    process (a connection pool, a thread pool), keyed by the module's name."""


@dataclass(frozen=True)
class Module:
    name: str
    title: str
    description: str
    router: APIRouter | None = None
    permissions: tuple[PermissionSpec, ...] = DEFAULT_PERMISSIONS
    nav: NavEntry | None = None
    background_services: Callable[[AppContext], Iterable[BackgroundService]] | None = None
    setup: Callable[[FastAPI, AppContext], None] | None = None
    models: tuple[str, ...] = field(default=())
    """Dotted paths of model modules, imported so migrations see every table."""

    def __post_init__(self) -> None:
        if not _MODULE_NAME.match(self.name):
            raise ModuleError(f"module name {self.name!r} must be a lowercase identifier")


def _as_module(value: Any, origin: str) -> Module:
    candidate = value() if callable(value) and not isinstance(value, Module) else value
    if not isinstance(candidate, Module):
        raise ModuleError(f"{origin} does not provide a gyrfalcon Module")
    return candidate


def discover_modules(extra: Iterable[Module] = ()) -> list[Module]:
    """Every installed module, in navigation order. A broken third-party entry point is
    logged and skipped so it cannot keep the console from starting."""
    found: dict[str, Module] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            module = _as_module(entry.load(), f"entry point {entry.name} ({entry.value})")
        except Exception:
            _logger.exception("cannot load gyrfalcon module from entry point %s", entry.name)
            continue
        _add(found, module)
    for module in extra:
        _add(found, module)
    return sorted(found.values(), key=lambda m: (m.nav.order if m.nav else 1000, m.name))


def _add(found: dict[str, Module], module: Module) -> None:
    if module.name in found and found[module.name] is not module:
        raise ModuleError(f"two modules are named {module.name!r}")
    found[module.name] = module
