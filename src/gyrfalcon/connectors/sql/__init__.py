"""SQL databases: the definition, engines with the read-only hardening, failure wording."""
