"""Whether a topic exists on a cluster, and its partitions, from the cluster's metadata."""

from __future__ import annotations

import difflib
from functools import partial

from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.failures import describe

_CLIENT_ID = "gyrfalcon-messages"


class UnknownTopic(LookupError):
    """The cluster answered and has no such topic; the message names close ones."""


class ClusterUnreachable(ConnectionError):
    """No bootstrap server answered; the message says why, secrets blanked."""


async def topic_partitions(config: KafkaClusterConfig, topic: str, *, timeout: float) -> list[int]:
    found = await cluster_topics(config, timeout=timeout)
    if topic not in found:
        raise UnknownTopic(unknown(topic, list(found)))
    return found[topic]


async def cluster_topics(config: KafkaClusterConfig, *, timeout: float) -> dict[str, list[int]]:
    """Every topic of the cluster with its partitions, from the first server to answer."""
    failures: list[str] = []
    for server in config.bootstrap_servers:
        try:
            metadata = await kafka.fetch_metadata(
                config, server, timeout=timeout, client_id=_CLIENT_ID
            )
        except Exception as exc:  # one broker down is why there are several: try the next
            target = kafka.target(config, server)
            classify = partial(kafka.classify, config, target)
            failures.append(
                f"{server}: {describe(exc, target, timeout=timeout, classify=classify)}"
            )
            continue
        # (error, name, [is_internal,] partitions): the partitions are last in every version.
        return {
            entry[1]: sorted(partition[1] for partition in entry[-1]) for entry in metadata.topics
        }
    raise ClusterUnreachable("; ".join(failures))


def unknown(topic: str, names: list[str]) -> str:
    close = difflib.get_close_matches(topic, names, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"the cluster has no topic '{topic}'{hint}"
