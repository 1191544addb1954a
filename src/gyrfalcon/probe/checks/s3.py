"""A check that an S3 bucket exists and is reachable with the credentials at hand."""

from __future__ import annotations

import importlib
from typing import Any

from gyrfalcon.probe.checks.base import DEFAULT_TIMEOUT, Check
from gyrfalcon.probe.vocabulary import CheckSkipped


def s3_head_bucket(
    client: Any | None,
    bucket: str,
    *,
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Check:
    """HEAD ``bucket`` with a boto3 S3 client, or with ``boto3.client("s3")`` (the
    environment's credentials and region) when ``client`` is None. Without boto3 the
    check is skipped, "boto3 is not installed", rather than failed: the SDK does not
    require it. Give the client a ``botocore.config.Config(connect_timeout=...,
    read_timeout=...)``: the call runs in a thread that ``timeout`` cannot stop."""

    def head() -> None:
        s3 = client
        if s3 is None:
            try:
                # import_module rather than `import boto3`: boto3 ships no type hints.
                boto3 = importlib.import_module("boto3")
            except ImportError:
                raise CheckSkipped("boto3 is not installed") from None
            s3 = boto3.client("s3")
        s3.head_bucket(Bucket=bucket)

    return Check(
        name=name or f"s3 HEAD {bucket}",
        call=head,
        kind="storage",
        target=f"s3://{bucket}",
        timeout=timeout,
    )
