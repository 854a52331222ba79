"""boto3 the way the notebooks use it: plain ``boto3.client("s3")`` in every cell.

Cells never pass endpoints or credentials. For a local target, :func:`configure_local` puts the
standard SDK settings into the process environment — ``AWS_ENDPOINT_URL`` (honoured by boto3 since
1.28), the region and LocalStack's test credentials — so the same cell runs unchanged on real AWS,
where none of them are set.
"""

from __future__ import annotations

import os

import boto3
from botocore.config import Config

REGION = "us-east-1"
ACCOUNT = "000000000000"  # LocalStack's default account for the test credentials
LOCAL_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
}
# A profile or session token from the learner's real AWS set-up must not leak into local calls.
REAL_AWS_ONLY = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def configure_local(endpoint_url: str) -> dict[str, str]:
    """Point every boto3 client of this process at a local endpoint; returns what was set."""
    for name in REAL_AWS_ONLY:
        os.environ.pop(name, None)
    settings = {"AWS_ENDPOINT_URL": endpoint_url, **LOCAL_ENVIRONMENT}
    os.environ.update(settings)
    return settings


def client(service: str, **kwargs):
    """A boto3 client from the environment, with retries suited to a lesson (standard mode)."""
    config = kwargs.pop("config", None) or Config(retries={"mode": "standard", "max_attempts": 5})
    return boto3.client(service, config=config, **kwargs)
