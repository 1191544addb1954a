"""`gyrfalcon demo` (what `make run` starts) against the machine's real PostgreSQL and
Redis: it registers a living cluster through the API, stops every process it started,
and a second run reuses what the first made."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from email import message_from_bytes
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.support.demo_run import DemoRun, demo_settings, running_demo, start_demo

PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
SAMPLES = {"orders", "inventory", "billing", "campaigns"}


@contextlib.contextmanager
def _client(demo: DemoRun, login: tuple[str, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url + "/api/v1", timeout=30) as client:
        username, password = login
        client.post(
            "/auth/login", json={"username": username, "password": password}
        ).raise_for_status()
        yield client


@pytest.fixture
def database_prefix() -> Iterator[str]:
    prefix = f"gyr_demo_{uuid.uuid4().hex[:8]}_"
    yield prefix
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        names = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",)
        ).fetchall()
        for (name,) in names:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _first_mail(folder: Path) -> Path:
    """The first alert e-mail the mail sink kept for campaigns (the outbox delivers in
    the background, so wait for it, within a generous ceiling)."""
    pause = threading.Event()
    for _ in range(600):
        for path in sorted(folder.glob("*.eml")):
            if "campaigns-over-budget" in message_from_bytes(path.read_bytes())["Subject"]:
                return path
        pause.wait(0.2)
    raise AssertionError(f"no alert e-mail for campaigns in {folder}")


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _until(condition: Callable[[], bool], demo: DemoRun) -> None:
    """Waits for ``condition``, within a generous ceiling."""
    pause = threading.Event()
    for _ in range(300):
        if condition():
            return
        pause.wait(0.2)
    raise AssertionError(f"never happened; the demo said:\n{demo.output}")


def _check_job_systems(client: httpx.Client, demo: DemoRun) -> None:
    """Billing's real Sidekiq worker, with its cron jobs, and orders' real RQ worker, fed
    with new orders, are registered and answering."""
    (sidekiq,) = client.get("/services/billing/jobs").json()["backends"]
    (rq,) = client.get("/services/orders/jobs").json()["backends"]
    assert (sidekiq["type"], sidekiq["ok"], rq["type"], rq["ok"]) == ("sidekiq", True, "rq", True)
    sidekiq_path = f"/services/billing/jobs/{sidekiq['id']}"
    periodic = {job["name"] for job in client.get(f"{sidekiq_path}/periodic").json()}
    assert {"settle-invoices", "nightly-ledger"} <= periodic
    assert client.get(f"{sidekiq_path}/worker-pools").json()

    def orders_scheduled() -> bool:
        counts = client.get(f"/services/orders/jobs/{rq['id']}").json()["counts"]
        return bool(counts["scheduled"]) and bool(counts["worker_pools"])

    _until(orders_scheduled, demo)


def _check_messages(client: httpx.Client, demo: DemoRun) -> None:
    """The orders service's protobuf events arrive from the demo's Kafka broker, decoded,
    and the legacy checkout's undecodable ones are kept with their reason."""
    (subscription,) = client.get("/subscriptions", params={"service": "orders"}).json()
    assert subscription["message_type"] == "shop.v1.OrderEvent"

    def decoded_and_not() -> bool:
        page = client.get(
            "/messages", params={"subscription": subscription["id"], "limit": 200}
        ).json()
        errors = [item["decode_error"] for item in page["items"]]
        return any(error is None for error in errors) and any(errors)

    _until(decoded_and_not, demo)
    status = client.get(f"/subscriptions/{subscription['id']}").json()["status"]
    assert status["state"] == "running", status
    created = client.get(
        "/messages",
        params={"subscription": subscription["id"], "field": "kind", "value": "CREATED"},
    ).json()["items"]
    assert created and created[0]["key"].startswith("ORD-")


def _check_cache(client: httpx.Client, demo: DemoRun) -> None:
    """The inventory service caches keys of every type under its prefix, its rows'
    copies among them, each with a TTL."""
    (cache,) = client.get("/services/inventory/redis").json()["items"]
    assert (cache["key_prefix"], cache["read_only"]) == ("inventory:", False)
    base = f"/services/inventory/redis/{cache['id']}"

    def every_type() -> bool:
        page = client.get(f"{base}/keys", params={"limit": 500}).json()
        types = {item["type"] for item in page["items"]}
        return types >= {"string", "hash", "list", "set", "zset", "stream"}

    _until(every_type, demo)
    copies = client.get(f"{base}/keys", params={"pattern": "row:*"}).json()["items"]
    assert copies and all(item["ttl_ms"] for item in copies)
    assert all(item["key"].startswith("inventory:row:SKU-") for item in copies)


def test_demo_runs_a_cluster_stops_everything_and_reuses_it(
    tmp_path: Path, database_prefix: str
) -> None:
    settings = {**demo_settings(tmp_path), "GYRFALCON_DEMO_DATABASE_PREFIX": database_prefix}
    with running_demo(tmp_path, settings) as demo:
        assert "No PostgreSQL" not in demo.output and "No Redis" not in demo.output
        assert f"databases {database_prefix}*" in demo.output
        admin, engineer = demo.admin(), demo.engineer()
        assert f"{engineer[0]} / {engineer[1]}" in demo.output
        with _client(demo, admin) as client:
            services = client.get("/services").json()["items"]
            assert {s["name"] for s in services} == SAMPLES
            assert {s["team"] for s in services} == {"commerce", "advertising"}
            for name in SAMPLES:
                (datasource,) = client.get(f"/services/{name}/datasources").json()["items"]
                assert datasource["dialect"] == "postgresql"
                assert datasource["last_test"]["ok"] is True
                (cache,) = client.get(f"/services/{name}/redis").json()["items"]
                assert cache["last_test"]["ok"] is True
            _check_job_systems(client, demo)
            _check_messages(client, demo)
            _check_cache(client, demo)
            monitors = client.get("/monitors").json()["items"]
            # An hour-long cycle: every sample is still in its broken phase.
            assert {m["service"]: m["state"] for m in monitors} == dict.fromkeys(
                SAMPLES, "ALERTING"
            )
        with _client(demo, engineer) as client:
            assert [s["name"] for s in client.get("/services").json()["items"]] == ["campaigns"]
            (alerting,) = client.get("/monitors").json()["items"]
            assert (alerting["name"], alerting["state"]) == ("campaigns-over-budget", "ALERTING")
        mail = _first_mail(tmp_path / "demo" / "mail")
        assert "campaigns-over-budget" in message_from_bytes(mail.read_bytes())["Subject"]
        # A sample service that dies is started again.
        (orders,) = [pid for pid in demo.children() if "orders" in _command(pid)]
        os.kill(orders, signal.SIGKILL)
        _until(lambda: "orders stopped with status -9" in demo.output, demo)
        _until(lambda: any("orders" in _command(pid) for pid in demo.children()), demo)
        children = demo.children()
        # The mail sink, four sample services, the Sidekiq and RQ workers, the Kafka
        # broker and the orders' event producer, the console.
        assert len(children) == 10
        assert demo.stop(signal.SIGINT) == 0
        assert "nothing is left running" in demo.output
        assert not [pid for pid in children if _alive(pid)]

    # At once, on the same ports: the last run's connections in TIME_WAIT do not hold them.
    with running_demo(tmp_path, settings) as again:
        assert again.admin() == admin and again.engineer() == engineer
        with _client(again, admin) as client:
            assert client.get("/services").json()["total"] == len(SAMPLES)
            assert client.get("/monitors").json()["total"] == len(SAMPLES)
            assert client.get("/users").json()["total"] == 2
            assert client.get("/notification-channels").json()["total"] == 1
            assert client.get("/roles").json()["total"] >= 1
            _check_messages(client, again)
        assert again.stop(signal.SIGTERM) == 0


def test_a_demo_folder_inside_the_data_directory_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gyrfalcon", "demo"],
        env={
            **os.environ,
            "GYRFALCON_DATA_DIR": str(tmp_path),
            "GYRFALCON_DEMO_DIR": str(tmp_path / "demo"),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "lies inside the data directory" in result.stderr


def test_ctrl_c_while_the_demo_starts_stops_it_cleanly(tmp_path: Path) -> None:
    demo = start_demo(tmp_path, demo_settings(tmp_path), until="Starting the demo")
    assert demo.ready.wait(120), demo.output
    children = demo.children()
    assert demo.stop(signal.SIGINT) == 0, demo.output
    assert "nothing is left running" in demo.output and "Traceback" not in demo.output
    assert "Press Ctrl-C" not in demo.output
    assert not [pid for pid in children if _alive(pid)]
