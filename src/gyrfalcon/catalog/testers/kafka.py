"""Test a Kafka cluster by fetching its metadata from a bootstrap server, trying each
in turn: one broker down is why there are several."""

from __future__ import annotations

from functools import partial
from typing import Any

from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.failures import CheckFailed, describe

_CLIENT_ID = "gyrfalcon-connection-test"


class KafkaTester:
    """Tester for :class:`KafkaClusterConfig`."""

    async def test(
        self, config: KafkaClusterConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        return await run_check(
            lambda: _first_metadata(config, timeout), target=kafka.target(config), limit=timeout
        )


async def _first_metadata(config: KafkaClusterConfig, limit: float) -> Outcome:
    failures: dict[str, str] = {}
    for server in config.bootstrap_servers:
        try:
            metadata = await kafka.fetch_metadata(
                config, server, timeout=limit, client_id=_CLIENT_ID
            )
        except Exception as exc:  # one broker down is why there are several: try the next
            target = kafka.target(config, server)
            classify = partial(kafka.classify, config, target)
            failures[server] = describe(exc, target, timeout=limit, classify=classify)
            continue
        return _outcome(server, metadata, failures)
    if len(failures) == 1:
        raise CheckFailed(next(iter(failures.values())), {"servers": failures})
    summary = "; ".join(f"{server}: {message}" for server, message in failures.items())
    raise CheckFailed(f"no bootstrap server answered ({summary})", {"servers": failures})


def _outcome(server: str, metadata: Any, failures: dict[str, str]) -> Outcome:
    brokers, topics = len(metadata.brokers), len(metadata.topics)
    details: dict[str, Any] = {"bootstrap_server": server, "brokers": brokers, "topics": topics}
    cluster_id = getattr(metadata, "cluster_id", None)
    if cluster_id:
        details["cluster_id"] = cluster_id
    if failures:
        details["unreachable"] = failures
    return Outcome(
        f"cluster metadata from {server}: {brokers} broker(s), {topics} topic(s)", details
    )
