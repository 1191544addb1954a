"""A job system of the demo, as one process: a real Sidekiq or RQ worker under it.

``python -m gyrfalcon.demo.job_worker --system sidekiq|rq --port ...``, the Redis URL
in ``GYRFALCON_DEMO_JOBS_REDIS_URL``. It starts the worker (``sidekiq`` from Debian's
ruby-sidekiq, or ``rq worker`` from the venv) as its child, feeds RQ with new orders
every few seconds (Sidekiq feeds itself with a cron job), answers ``GET /health`` while
the worker lives, and stops it on SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from gyrfalcon.demo.health import health_server
from gyrfalcon.demo.supervisor import die_with_parent

REDIS_URL_VARIABLE = "GYRFALCON_DEMO_JOBS_REDIS_URL"
SIDEKIQ_APP = Path(__file__).with_name("sidekiq_app.rb")
RQ_QUEUES = ("orders", "shipping")


def worker_command(system: str) -> list[str]:
    if system == "sidekiq":
        sidekiq = shutil.which("sidekiq") or "sidekiq"
        return [
            sidekiq,
            "-r",
            str(SIDEKIQ_APP),
            "-q",
            "payments",
            "-q",
            "mail",
            "-q",
            "default",
            "-c",
            "3",
        ]
    rq = str(Path(sys.executable).with_name("rq"))
    url = os.environ[REDIS_URL_VARIABLE]
    return [
        rq,
        "worker",
        "--url",
        url,
        "--with-scheduler",
        "--worker-class",
        "rq.worker.SimpleWorker",
        *RQ_QUEUES,
    ]


def feed_rq(stop: threading.Event, every: float) -> None:
    """New orders for the RQ worker: reservations that sometimes fail, shipments, and
    surveys scheduled ahead."""
    from redis import Redis
    from rq import Queue, Retry

    from gyrfalcon.demo import rq_tasks

    rng = random.Random()  # noqa: S311 - demo data
    connection = Redis.from_url(os.environ[REDIS_URL_VARIABLE])
    orders, shipping = (Queue(name, connection=connection) for name in RQ_QUEUES)
    while not stop.is_set():
        order = f"ORD-{rng.randint(10_000, 99_999)}"
        sku = rng.choice(("SKU-TEA-01", "SKU-MUG-02", "SKU-KETTLE-03"))
        orders.enqueue(
            rq_tasks.reserve_stock,
            order,
            sku,
            rng.randint(1, 4),
            retry=Retry(max=2, interval=[15, 30]),
        )
        shipping.enqueue(rq_tasks.ship_order, order, rng.choice(("dhl", "ups", "post")))
        shipping.enqueue_in(timedelta(minutes=10), rq_tasks.send_survey, order)
        stop.wait(every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--system", choices=("sidekiq", "rq"), required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--every", type=float, default=10.0, help="Seconds between new RQ orders")
    arguments = parser.parse_args()
    # RUBYOPT: redis-rb 4.8 warns on every fetch of Sidekiq 6.4, which would fill the log.
    env = {**os.environ, "REDIS_URL": os.environ[REDIS_URL_VARIABLE], "RUBYOPT": "-W0"}
    worker = subprocess.Popen(  # noqa: S603 - the demo's own command
        worker_command(arguments.system), env=env, preexec_fn=die_with_parent
    )
    stop = threading.Event()
    server = health_server(
        arguments.port,
        lambda: (worker.poll() is None, {"system": arguments.system, "worker_pid": worker.pid}),
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if arguments.system == "rq":
        threading.Thread(target=feed_rq, args=(stop, arguments.every), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set() and worker.poll() is None:
        stop.wait(1)
    stop.set()
    server.shutdown()
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
    sys.exit(worker.returncode if worker.returncode and worker.returncode > 0 else 0)


if __name__ == "__main__":
    main()
