"""The audit log: every change made through the platform, with full before/after
snapshots and field-level diffs."""

from __future__ import annotations

from gyrfalcon.audit.home import RecentChangesTile
from gyrfalcon.audit.retention import AuditRetention
from gyrfalcon.audit.router import router
from gyrfalcon.audit.settings import AuditSettings
from gyrfalcon.core.plugins import Module, NavEntry, PermissionSpec
from gyrfalcon.home.service import HOME_TILES

module = Module(
    name="audit",
    title="Audit log",
    description="Who changed what, when, with the full state before and after.",
    router=router,
    permissions=(PermissionSpec("read", "Read the audit records of services in scope"),),
    nav=NavEntry(title="Audit log", path="/audit", icon="AuditOutlined", order=80),
    background_services=lambda context: [AuditRetention(context)],
    models=("gyrfalcon.audit.models",),
    settings=AuditSettings,
    contributes={HOME_TILES: (RecentChangesTile(),)},
)
