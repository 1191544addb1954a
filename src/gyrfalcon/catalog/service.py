"""The catalog's public face: what other modules may use of it, and nothing else.

Other modules reach the catalog only through this module (a test holds every
module to its neighbours' ``service.py``). It offers the services and their
teams, the tables other modules join on, and the connection-kind API a module uses
to declare a kind of its own (``ConnectionKind``, contributed to
:data:`CONNECTION_KINDS`), to test it (``ConnectionTester``, ``run_check``) and to
load a stored connection's full definition.
"""

from __future__ import annotations

from gyrfalcon.catalog.connections import get_connection, load_definition
from gyrfalcon.catalog.kinds import CONNECTION_KINDS, DATASOURCES, ConnectionKind
from gyrfalcon.catalog.models import ConnectionMixin, Datasource, Service
from gyrfalcon.catalog.schemas import ConnectionRead, ConnectionTestResult
from gyrfalcon.catalog.services import (
    BaseUrlChangeHook,
    get_service,
    team_of,
    teams_by_service,
)
from gyrfalcon.catalog.testers.base import ConnectionTester
from gyrfalcon.catalog.testers.probe import Outcome, run_check

__all__ = [
    "CONNECTION_KINDS",
    "DATASOURCES",
    "BaseUrlChangeHook",
    "ConnectionKind",
    "ConnectionMixin",
    "ConnectionRead",
    "ConnectionTestResult",
    "ConnectionTester",
    "Datasource",
    "Outcome",
    "Service",
    "get_connection",
    "get_service",
    "load_definition",
    "run_check",
    "team_of",
    "teams_by_service",
]
