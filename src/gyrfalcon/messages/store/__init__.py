"""Where consumed messages are kept: one interface (``base.py``), one SQL implementation
over the platform database (SQLite, PostgreSQL, MySQL) (ADR 0007)."""
