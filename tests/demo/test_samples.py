"""Each sample service breaks its business rule and fixes it, and its monitor's query
sees exactly that: a demo monitor that could not alert, or not recover, would teach a
newcomer nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from gyrfalcon.demo.samples import SAMPLES, Sample
from gyrfalcon.monitors.schemas import Condition


def _failing(sample: Sample, connection: object) -> bool:
    """What the monitor's query and condition say about the rows right now."""
    rows = connection.execute(text(sample.monitor["query"])).all()  # type: ignore[attr-defined]
    condition = Condition.model_validate(sample.monitor["condition"])
    if condition.kind == "any_rows":
        return bool(rows)
    assert condition.operator.value == ">"
    return float(rows[0][0]) > float(condition.threshold)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_monitor_sees_the_rule_broken_and_fixed(name: str, tmp_path: Path) -> None:
    sample, rng = SAMPLES[name], random.Random(7)
    engine = create_engine(f"sqlite:///{tmp_path / 'sample.sqlite3'}")
    with engine.begin() as connection:
        sample.table.create(connection)
        sample.seed(connection, rng)
        sample.grow(connection, rng)
        assert not sample.spoiled(connection) and not _failing(sample, connection)
        sample.spoil(connection, rng)
        assert sample.spoiled(connection) and _failing(sample, connection)
        if sample.repair is None:
            return
        sample.repair(connection)
        assert not sample.spoiled(connection) and not _failing(sample, connection)
        assert sample.rows(connection) > 0


def test_exactly_one_sample_stays_broken_and_it_is_the_engineers() -> None:
    from gyrfalcon.demo.samples import ENGINEER_SERVICE

    assert [s.name for s in SAMPLES.values() if s.repair is None] == [ENGINEER_SERVICE]
