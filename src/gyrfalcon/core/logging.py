"""Log configuration: text for people, JSON for collectors, request id on every line."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from gyrfalcon.core.redaction import RedactingFilter
from gyrfalcon.core.requestid import RequestIdLogFilter
from gyrfalcon.core.settings import LogFormat


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry)


def configure_logging(level: str, log_format: LogFormat) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdLogFilter())
    handler.addFilter(RedactingFilter())
    if log_format is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic announces every plugin at INFO; only its warnings matter to an operator.
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
    # httpx logs every request's full URL at INFO (webhook URLs are secrets, query
    # strings may carry tokens); aiosqlite logs every statement with its parameters at
    # DEBUG (password hashes, audit snapshots). Their warnings still come through.
    for name in ("httpx", "httpcore", "aiosqlite"):
        logging.getLogger(name).setLevel(max(root.level, logging.WARNING))
    # Uvicorn's own handlers would print a second copy without the request id.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
