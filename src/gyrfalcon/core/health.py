"""Liveness, readiness and metrics endpoints (open to probes, no login)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from gyrfalcon.core.db import Database
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.metrics import RequestMetrics
from gyrfalcon.core.security import PUBLIC

router = APIRouter(tags=["health"], dependencies=[Depends(PUBLIC)])
_READY_TIMEOUT_SECONDS = 3.0


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The platform database answers")
async def readyz(request: Request) -> dict[str, str]:
    database: Database = request.app.state.database
    try:
        async with asyncio.timeout(_READY_TIMEOUT_SECONDS), database.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise ProblemError(
            f"platform database unreachable: {type(exc).__name__}",
            status=503,
            title="Not ready",
        ) from exc
    return {"status": "ready"}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    request_metrics: RequestMetrics = request.app.state.metrics
    return Response(generate_latest(request_metrics.registry), media_type=CONTENT_TYPE_LATEST)
