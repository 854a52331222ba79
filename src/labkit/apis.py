"""URLs that differ by target, so a lesson's cells don't."""

from __future__ import annotations

import os

from labkit import clients


def invoke_url(api_id: str, stage: str, region: str | None = None) -> str:
    """Where a REST API stage answers.

    LocalStack (embedded or Docker) serves it under ``/_aws/execute-api/{id}/{stage}`` on its own
    endpoint, a form that needs no DNS; AWS serves it at ``https://{id}.execute-api.{region}.amazonaws.com/{stage}``.
    """
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        return f"{endpoint.rstrip('/')}/_aws/execute-api/{api_id}/{stage}"
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or clients.REGION
    return f"https://{api_id}.execute-api.{region}.amazonaws.com/{stage}"
