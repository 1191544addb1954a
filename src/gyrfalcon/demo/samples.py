"""The demo's sample services: what each keeps in its database, and how it goes wrong.

Each sample service keeps one table, adds ordinary rows as it runs, and in turns
writes rows that break a business rule and then fixes them, so its monitor alerts
and recovers. The advertising team's campaigns service never fixes its overspent
campaign: its monitor stays alerting, for the engineer's home page.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    update,
)

DATABASE_URL_VARIABLE = "GYRFALCON_DEMO_SAMPLE_DATABASE_URL"
REDIS_URL_VARIABLE = "GYRFALCON_DEMO_SAMPLE_REDIS_URL"
"""How a sample service gets its addresses: in its environment, where a password in them
stays out of the process list."""


@dataclass(frozen=True)
class Sample:
    name: str
    display_name: str
    team: str
    description: str
    table: Table
    seed: Callable[[Connection, random.Random], object]
    grow: Callable[[Connection, random.Random], object]
    spoil: Callable[[Connection, random.Random], object]
    spoiled: Callable[[Connection], bool]
    repair: Callable[[Connection], object] | None
    """None: the broken rows stay (the monitor that always alerts)."""
    monitor: dict[str, Any] = field(default_factory=dict)
    """The monitor over the rule, as in a monitors file, without service and datasource."""

    def rows(self, connection: Connection) -> int:
        return int(connection.scalar(select(func.count()).select_from(self.table)) or 0)


_CUSTOMERS = ("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne")

orders_table = Table(
    "orders",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("customer", String(40), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("payment_ref", String(40)),
)


def _order(rng: random.Random, *, paid: bool = True) -> dict[str, Any]:
    return {
        "customer": rng.choice(_CUSTOMERS),
        "amount_cents": rng.randrange(500, 50_000),
        "status": "paid",
        "payment_ref": f"pay_{rng.getrandbits(40):010x}" if paid else None,
    }


def _grow_orders(connection: Connection, rng: random.Random) -> None:
    connection.execute(insert(orders_table), [_order(rng) for _ in range(rng.randrange(1, 4))])


_unpaid = (orders_table.c.status == "paid") & orders_table.c.payment_ref.is_(None)

orders = Sample(
    name="orders",
    display_name="Orders",
    team="commerce",
    description="Takes customers' orders and records their payments (demo).",
    table=orders_table,
    seed=lambda connection, rng: connection.execute(
        insert(orders_table), [_order(rng) for _ in range(30)]
    ),
    grow=_grow_orders,
    spoil=lambda connection, rng: connection.execute(
        insert(orders_table), [_order(rng, paid=False) for _ in range(3)]
    ),
    spoiled=lambda connection: bool(connection.scalar(select(func.count()).where(_unpaid))),
    repair=lambda connection: connection.execute(
        update(orders_table).where(_unpaid).values(payment_ref="pay_reconciled")
    ),
    monitor={
        "name": "paid-orders-without-payment",
        "description": "Orders marked paid that have no payment reference: the customer "
        "was charged nothing, or the payment was lost. Reconcile with the payment provider.",
        "query": "SELECT id, customer, amount_cents FROM orders\n"
        "WHERE status = 'paid' AND payment_ref IS NULL",
        "severity": "critical",
        "condition": {"kind": "any_rows"},
    },
)

stock_table = Table(
    "stock",
    MetaData(),
    Column("sku", String(20), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("on_hand", Integer, nullable=False),
)
_ITEMS = ("kettle", "toaster", "blender", "mixer", "grinder", "scale", "juicer", "wok")


def _grow_stock(connection: Connection, rng: random.Random) -> None:
    sku = f"SKU-{rng.randrange(len(_ITEMS)):03d}"
    connection.execute(
        update(stock_table)
        .where(stock_table.c.sku == sku, stock_table.c.on_hand >= 0)
        .values(on_hand=stock_table.c.on_hand + rng.randrange(1, 6))
    )


inventory = Sample(
    name="inventory",
    display_name="Inventory",
    team="commerce",
    description="Keeps stock levels per SKU for the warehouses (demo).",
    table=stock_table,
    seed=lambda connection, rng: connection.execute(
        insert(stock_table),
        [
            {"sku": f"SKU-{n:03d}", "name": item, "on_hand": rng.randrange(5, 80)}
            for n, item in enumerate(_ITEMS)
        ],
    ),
    grow=_grow_stock,
    spoil=lambda connection, rng: connection.execute(
        update(stock_table)
        .where(stock_table.c.sku.in_(rng.sample([f"SKU-{n:03d}" for n in range(len(_ITEMS))], 2)))
        .values(on_hand=-rng.randrange(1, 5))
    ),
    spoiled=lambda connection: bool(
        connection.scalar(select(func.count()).where(stock_table.c.on_hand < 0))
    ),
    repair=lambda connection: connection.execute(
        update(stock_table).where(stock_table.c.on_hand < 0).values(on_hand=0)
    ),
    monitor={
        "name": "negative-stock",
        "description": "SKUs with less than nothing on hand: an order was reserved twice or "
        "a delivery was never booked. Count the shelf and correct the level.",
        "query": "SELECT count(*) FROM stock WHERE on_hand < 0",
        "severity": "warning",
        "condition": {"kind": "threshold", "value": "first_cell", "operator": ">", "threshold": 0},
    },
)

invoices_table = Table(
    "invoices",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("customer", String(40), nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("lines_cents", Integer, nullable=False),
)


def _invoice(rng: random.Random, *, off_by: int = 0) -> dict[str, Any]:
    lines = rng.randrange(500, 50_000)
    return {"customer": rng.choice(_CUSTOMERS), "total_cents": lines + off_by, "lines_cents": lines}


_mismatched = invoices_table.c.total_cents != invoices_table.c.lines_cents

billing = Sample(
    name="billing",
    display_name="Billing",
    team="commerce",
    description="Issues invoices for paid orders (demo).",
    table=invoices_table,
    seed=lambda connection, rng: connection.execute(
        insert(invoices_table), [_invoice(rng) for _ in range(20)]
    ),
    grow=lambda connection, rng: connection.execute(insert(invoices_table), [_invoice(rng)]),
    spoil=lambda connection, rng: connection.execute(
        insert(invoices_table), [_invoice(rng, off_by=rng.randrange(1, 999)) for _ in range(2)]
    ),
    spoiled=lambda connection: bool(connection.scalar(select(func.count()).where(_mismatched))),
    repair=lambda connection: connection.execute(
        update(invoices_table).where(_mismatched).values(total_cents=invoices_table.c.lines_cents)
    ),
    monitor={
        "name": "invoice-total-mismatch",
        "description": "Invoices whose total is not the sum of their lines: the customer "
        "is billed a wrong amount. Re-issue the invoice.",
        "query": "SELECT count(*) FROM invoices WHERE total_cents <> lines_cents",
        "severity": "critical",
        "condition": {"kind": "threshold", "value": "first_cell", "operator": ">", "threshold": 0},
    },
)

campaigns_table = Table(
    "campaigns",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", String(60), nullable=False),
    Column("budget_cents", Integer, nullable=False),
    Column("spent_cents", Integer, nullable=False),
)
_CAMPAIGNS = ("Spring sale", "Newsletter signup", "Kettle launch", "Brand search", "Holiday")
_OVERSPENT = "Black Friday retargeting"


def _spend(connection: Connection, rng: random.Random) -> None:
    connection.execute(
        update(campaigns_table)
        .where(campaigns_table.c.spent_cents + 500 <= campaigns_table.c.budget_cents)
        .values(spent_cents=campaigns_table.c.spent_cents + rng.randrange(1, 500))
    )


campaigns = Sample(
    name="campaigns",
    display_name="Campaigns",
    team="advertising",
    description="Runs the advertising team's paid campaigns and tracks their spend (demo).",
    table=campaigns_table,
    seed=lambda connection, rng: connection.execute(
        insert(campaigns_table),
        [
            {"name": name, "budget_cents": 100_000, "spent_cents": rng.randrange(0, 50_000)}
            for name in _CAMPAIGNS
        ],
    ),
    grow=_spend,
    spoil=lambda connection, rng: connection.execute(
        insert(campaigns_table),
        [{"name": _OVERSPENT, "budget_cents": 250_000, "spent_cents": 312_450}],
    ),
    spoiled=lambda connection: bool(
        connection.scalar(
            select(func.count()).where(
                campaigns_table.c.spent_cents > campaigns_table.c.budget_cents
            )
        )
    ),
    repair=None,
    monitor={
        "name": "campaigns-over-budget",
        "description": "Campaigns that spent more than their budget: the ad network was "
        "not told to stop. Pause the campaign and ask finance about the overspend.",
        "query": "SELECT name, budget_cents, spent_cents FROM campaigns\n"
        "WHERE spent_cents > budget_cents",
        "severity": "critical",
        "condition": {"kind": "any_rows"},
    },
)

SAMPLES = {sample.name: sample for sample in (orders, inventory, billing, campaigns)}
ENGINEER_SERVICE = campaigns.name
"""The one service the demo's advertising team engineer may see."""
