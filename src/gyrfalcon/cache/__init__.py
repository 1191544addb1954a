"""Business cache: what each service holds in Redis, with type, size, TTL and value,
safely on large instances and clusters (ADR 0008).

Key search by SCAN with budgets (``scanning.py``), the details per key (``details.py``),
paged values per type (``values.py``), the sample analysis (``analysis.py``), the
actions (``service.py``) and the bulk deletes a background service works (``bulk.py``).
"""

from __future__ import annotations

from gyrfalcon.cache.bulk import BulkDeleter
from gyrfalcon.cache.home import UnreachableInstancesTile
from gyrfalcon.cache.router import router
from gyrfalcon.cache.settings import CacheSettings
from gyrfalcon.core.plugins import DEFAULT_PERMISSIONS, Module, NavEntry
from gyrfalcon.home.service import HOME_TILES

module = Module(
    name="cache",
    title="Business cache",
    description="What each service holds in Redis: keys by pattern with type, size and TTL, "
    "values of every type, an analysis of memory and expiry, and deletes with a dry run.",
    router=router,
    permissions=DEFAULT_PERMISSIONS,
    nav=NavEntry(title="Cache", path="/cache", icon="DatabaseOutlined", order=50),
    settings=CacheSettings,
    models=("gyrfalcon.cache.models",),
    background_services=lambda context: [BulkDeleter(context)],
    contributes={HOME_TILES: (UnreachableInstancesTile(),)},
)
