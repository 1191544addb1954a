"""The message store of a process: one per database, shared by routes and consumers."""

from __future__ import annotations

from gyrfalcon.core.plugins import AppContext
from gyrfalcon.messages.settings import MessagesSettings
from gyrfalcon.messages.store.base import MessageStore
from gyrfalcon.messages.store.postgres import PartitionedPostgresStore
from gyrfalcon.messages.store.sql import SqlMessageStore

_SHARED_KEY = "messages.store"


def store_of(context: AppContext) -> MessageStore:
    store = context.shared.get(_SHARED_KEY)
    if store is None:
        sessionmaker = context.database.sessionmaker
        if context.database.engine.dialect.name == "postgresql":
            writes = context.settings.section(MessagesSettings).messages_writers
            store = PartitionedPostgresStore(sessionmaker, concurrent_writes=writes)
        else:
            # SQLite takes one write transaction at a time (a second would only wait),
            # and InnoDB's gap locks deadlocked two batches written at once.
            store = SqlMessageStore(sessionmaker)
        context.shared[_SHARED_KEY] = store
    assert isinstance(store, MessageStore)
    return store
