"""Notification channels: e-mail (SMTP), Slack and webhooks.

A connection kind of the notify module, contributed to the catalog's
``catalog.connection_kinds`` extension point (``kind.py``): the catalog gives it
its routes, encrypted secrets, audit records and test button; the definitions,
the reads, the tester and the SMTP session live here, beside the senders.
"""
