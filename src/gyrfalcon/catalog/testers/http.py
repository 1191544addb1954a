"""Test a service's debug endpoints: is the endpoint's server reachable?"""

from __future__ import annotations

from typing import Any

from gyrfalcon.catalog.schemas import ConnectionTestResult, DebugEndpointConfig
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.connectors.http import ServiceClient, url_target
from gyrfalcon.connectors.service_urls import display, join_under, parse_base
from gyrfalcon.core.failures import http_classifier

_USER_AGENT = "Gyrfalcon connection test"


class DebugEndpointTester:
    """Tester for :class:`DebugEndpointConfig`: is the endpoint's server reachable?

    It sends OPTIONS, not the endpoint's method, because a debug run has side
    effects and needs parameters; any HTTP answer, even 404 or 405, proves
    the service is up and reachable at that address. Open, then probe: the call
    goes through the service client, which keeps it under the base URL.
    """

    async def test(
        self, config: DebugEndpointConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        if not base_url:
            return ConnectionTestResult(
                ok=False,
                latency_ms=None,
                message="the service has no base_url: set it to reach its debug endpoints",
            )
        try:
            url = join_under(parse_base(base_url), config.path)
        except ValueError as exc:
            return ConnectionTestResult(ok=False, latency_ms=None, message=str(exc))
        target = url_target(str(url))

        async def probe() -> Outcome:
            async with (
                ServiceClient(user_agent=_USER_AGENT) as client,
                client.stream(
                    base_url, "OPTIONS", config.path, timeout=timeout, follow_redirects=False
                ) as response,
            ):
                status = response.status_code
                details: dict[str, Any] = {"status": status, "url": display(url)}
                if "allow" in response.headers:
                    details["allow"] = response.headers["allow"]
                return Outcome(f"reachable: OPTIONS {config.path} answered HTTP {status}", details)

        return await run_check(
            probe, target=target, limit=timeout, classify=http_classifier(target)
        )
