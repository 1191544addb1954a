"""The subscriptions and schemas that go with a deleted service, each with its audit
record; the stored messages follow in the retention service's batches."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import DependentGroup, Service
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.security import EVERYTHING
from gyrfalcon.messages import proto_schemas, subscriptions
from gyrfalcon.messages.models import MessageSchema, Position, Subscription

_NAMES_SHOWN = 50


class MessagesDependents:
    order = 10  # before the catalog's own connections

    async def describe(self, session: AsyncSession, service: Service) -> list[DependentGroup]:
        groups = []
        names = list(
            await session.scalars(
                select(Subscription.name)
                .where(Subscription.service_id == service.id)
                .order_by(Subscription.name)
            )
        )
        if names:
            stored = await session.scalar(
                select(func.coalesce(func.sum(Position.stored), 0))
                .join(Subscription, Subscription.id == Position.subscription_id)
                .where(Subscription.service_id == service.id)
            )
            groups.append(
                DependentGroup(
                    module="messages",
                    kind="subscriptions",
                    label="message subscriptions",
                    count=len(names),
                    names=names[:_NAMES_SHOWN],
                    detail=f"with their {stored or 0} stored messages",
                )
            )
        schemas = list(
            await session.scalars(
                select(MessageSchema.name)
                .where(MessageSchema.service_id == service.id)
                .order_by(MessageSchema.name)
            )
        )
        if schemas:
            groups.append(
                DependentGroup(
                    module="messages",
                    kind="schemas",
                    label="protobuf schemas",
                    count=len(schemas),
                    names=schemas[:_NAMES_SHOWN],
                    detail="with every version; other services' subscriptions decoding with "
                    "them stop decoding",
                )
            )
        return groups

    async def remove(self, session: AsyncSession, service: Service, *, box: SecretBox) -> None:
        for located in await subscriptions.list_located(
            session, scope=EVERYTHING, service=service.name
        ):
            await subscriptions.remove(session, located, write_scope=EVERYTHING, commit=False)
        for schema_id in list(
            await session.scalars(
                select(MessageSchema.id).where(MessageSchema.service_id == service.id)
            )
        ):
            await proto_schemas.remove_schema(session, schema_id=schema_id)
