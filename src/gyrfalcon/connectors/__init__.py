"""How the platform talks to the systems it watches, one module per kind.

Each kind has its definition (what an engineer enters), and one typed way to open a
bounded, time-limited client to it: SQL engines with the read-only hardening
(``sql``), Redis (``redis``), Kafka brokers (``kafka``), and HTTP calls that stay
under a service's base URL (``http``). The catalog's testers, the monitors and the
modules to come all open their clients here, never a second copy. Failures are
worded by ``core.failures``. This layer sits below the features: it imports only
``core``.
"""
