"""The naming convention: every resource the suite creates has a name that starts with the prefix
and carries the suite's tag, whose value is the lesson that made it. The sweeper in
:mod:`labkit.cleanup` deletes only what has both, so it never touches anything else in an account.
"""

from __future__ import annotations

import os

PREFIX = "slnb"  # serverless notebooks
TAG_KEY = "serverless-notebooks"


def resource_name(lesson: str, what: str) -> str:
    """``resource_name("010", "orders")`` → ``"slnb-010-orders"``."""
    return f"{PREFIX}-{lesson}-{what}"


def tags(lesson: str) -> dict[str, str]:
    """The suite's tag as a mapping (Lambda, SQS, API Gateway, Logs, Kinesis take this form)."""
    return {TAG_KEY: lesson}


def tag_list(lesson: str) -> list[dict[str, str]]:
    """The same tag as a Key/Value list (S3, DynamoDB, SNS, IAM, EventBridge take this form)."""
    return [{"Key": key, "Value": value} for key, value in tags(lesson).items()]


def fixed_id(value: str) -> dict[str, str]:
    """A tag that makes LocalStack use ``value`` as the new resource's id (an API Gateway id, say),
    so URLs in stored outputs stay the same. Only on LocalStack; on AWS the ids are AWS's."""
    return {"_custom_id_": value} if os.environ.get("AWS_ENDPOINT_URL") else {}
