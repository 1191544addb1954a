"""Online debugging: run a service's debug endpoints and see the chain of calls it made
to its dependencies, with their timings (ADR 0009).

The endpoints are the catalog's (a connection kind, with their parameters' JSON
Schema, time limit and token or HMAC key); the services build them with the probe SDK
(``gyrfalcon.probe``) or answer OTLP/JSON. A run calls one only under the service's
base URL (``calling.py``), reads the trace (``traceformat.py``, ``otlp.py``), and keeps
it with its critical path and slowest spans (``analysis.py``) to be compared later.
"""

from __future__ import annotations

from gyrfalcon.core.plugins import Module, NavEntry, PermissionSpec
from gyrfalcon.debug.home import FailingEndpointsTile
from gyrfalcon.debug.router import router
from gyrfalcon.debug.settings import DebugSettings
from gyrfalcon.home.service import HOME_TILES

module = Module(
    name="debug",
    title="Online debugging",
    description="Run a service's debug endpoints and see each call to its dependencies "
    "on a time axis: what was slow, what failed, and what changed since the last run.",
    router=router,
    permissions=(
        PermissionSpec("read", "See the debug endpoints' runs and traces"),
        PermissionSpec("run", "Run debug endpoints (sends the endpoint's token or HMAC signature)"),
    ),
    nav=NavEntry(title="Debug", path="/debug", icon="BugOutlined", order=60),
    settings=DebugSettings,
    models=("gyrfalcon.debug.models",),
    contributes={HOME_TILES: (FailingEndpointsTile(),)},
)
