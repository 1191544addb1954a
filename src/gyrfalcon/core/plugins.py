"""The module registry: every feature, built-in or third-party, plugs in here.

A module is found through the ``gyrfalcon.modules`` entry point group and
declares everything the core needs from it: its API router, permissions,
navigation entry, background services, settings section, command-line group,
migrations, tables and a setup hook. Modules extend each other through named
extension points: a module contributes objects to a point (the catalog's
``catalog.connection_kinds``, say) and the point's owner reads every
contribution from the :class:`Registry`. Adapters (senders, check types, and the
coming job backends and message decoders) are entry-point groups of their own
(:func:`load_adapters`), so a third-party package can add one without a module.
The built-in modules register exactly the same way, so adding a module is a new
package plus one entry point.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import APIRouter, FastAPI

from gyrfalcon.core.background import BackgroundService

if TYPE_CHECKING:
    import typer

    from gyrfalcon.core.crypto import SecretBox
    from gyrfalcon.core.db import Database
    from gyrfalcon.core.settings import Settings, SettingsSection

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
    registry: Registry = field(default_factory=lambda: Registry(()))
    """The installed modules, for a background service that works on other modules'
    contributions (the scheduled connection tests, on every connection kind)."""
    shared: dict[str, Any] = field(default_factory=dict)
    """Objects a module shares between its routes and its background services in one
    process (a connection pool, a thread pool), keyed by the module's name."""


@dataclass(frozen=True)
class Module:
    name: str
    title: str
    description: str
    router: APIRouter | Callable[[Registry], APIRouter] | None = None
    """Mounted under ``/api/v1``; a factory gets the registry, for routes built from
    other modules' contributions."""
    permissions: tuple[PermissionSpec, ...] = DEFAULT_PERMISSIONS
    nav: NavEntry | None = None
    background_services: Callable[[AppContext], Iterable[BackgroundService]] | None = None
    setup: Callable[[FastAPI, AppContext], None] | None = None
    models: tuple[str, ...] = field(default=())
    """Dotted paths of model modules, imported so migrations see every table."""
    settings: type[SettingsSection] | None = None
    """The module's settings, still ``GYRFALCON_*`` variables, listed in the reference."""
    cli: typer.Typer | None = None
    """A command group, mounted as ``gyrfalcon <its name>``."""
    migrations: str | None = None
    """The dotted name of a package of Alembic revisions on the module's own branch, for
    a module shipped apart from the platform's chain."""
    contributes: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    """Objects for other modules' extension points, by point name."""

    def __post_init__(self) -> None:
        if not _MODULE_NAME.match(self.name):
            raise ModuleError(f"module name {self.name!r} must be a lowercase identifier")
        object.__setattr__(self, "contributes", MappingProxyType(dict(self.contributes)))


class Registry:
    """The installed modules and what they contribute to each extension point."""

    def __init__(self, modules: Iterable[Module]) -> None:
        self.modules = tuple(modules)

    def contributions(self, point: str) -> list[Any]:
        """Every object contributed to ``point``, in module order."""
        return [item for module in self.modules for item in module.contributes.get(point, ())]

    def routers(self) -> list[APIRouter]:
        built = []
        for module in self.modules:
            if module.router is None:
                continue
            built.append(
                module.router if isinstance(module.router, APIRouter) else module.router(self)
            )
        return built


AdapterT = TypeVar("AdapterT")


def load_adapters(group: str, kind: type[AdapterT], *args: Any) -> dict[str, AdapterT]:
    """The adapters registered under entry-point ``group``, by entry name.

    Each entry point names a class or factory, called with ``args``; what it returns
    must be an instance of ``kind`` (a runtime-checkable Protocol). A broken
    third-party adapter is logged and skipped, like a broken module."""
    found: dict[str, AdapterT] = {}
    for entry in entry_points(group=group):
        try:
            adapter = entry.load()(*args)
        except Exception:
            _logger.exception("cannot load adapter %s from entry point group %s", entry.name, group)
            continue
        if not isinstance(adapter, kind):
            _logger.error("entry point %s of %s is not a %s", entry.name, group, kind.__name__)
            continue
        found[entry.name] = adapter
    return found


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


def import_models(modules: Iterable[Module]) -> None:
    """Import every module's tables, so the metadata (and migrations) see them all."""
    for module in modules:
        for dotted in module.models:
            importlib.import_module(dotted)
