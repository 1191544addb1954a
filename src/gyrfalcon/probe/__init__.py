"""The probe SDK: debug endpoints that exercise a service's dependencies and answer with
a trace (``gyrfalcon.trace/v1``) for the Gyrfalcon platform to draw as a waterfall.

It imports no other part of Gyrfalcon and needs no third-party package: a service
installs it without the console. See docs/probe.md.
"""

from gyrfalcon.probe import checks
from gyrfalcon.probe.app import Probe
from gyrfalcon.probe.auth import sign
from gyrfalcon.probe.checks.base import Check
from gyrfalcon.probe.runner import CheckResult, gather, run_checks
from gyrfalcon.probe.schema import load_schema
from gyrfalcon.probe.spans import Span, current_span, span, traced
from gyrfalcon.probe.trace import FORMAT, Trace
from gyrfalcon.probe.vocabulary import CheckFailed, CheckSkipped

SCHEMA = load_schema()

__all__ = [
    "FORMAT",
    "SCHEMA",
    "Check",
    "CheckFailed",
    "CheckResult",
    "CheckSkipped",
    "Probe",
    "Span",
    "Trace",
    "checks",
    "current_span",
    "gather",
    "run_checks",
    "sign",
    "span",
    "traced",
]
