"""Drains the write buffer: each SQS message becomes one DynamoDB item, written exactly once.

An event source mapping hands the function a batch of messages. SQS delivers *at least* once, so
the same message can arrive twice; each write therefore carries a condition (the item must not
exist yet), and a redelivery changes nothing. A message that cannot be written is reported as a
batch item failure: only it returns to the queue, and after maxReceiveCount receives SQS moves it
to the dead-letter queue. The rest of the batch is done and deleted.
"""

import json
import os
import time

import boto3
from botocore.exceptions import ClientError

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def parse(body: str) -> dict:
    """A reading, or ValueError for a message that can never be written (a poison message)."""
    reading = json.loads(body)
    if not isinstance(reading.get("value"), int):
        raise ValueError(f"value must be an integer, got {reading.get('value')!r}")
    return reading


def write_once(reading: dict, batch: dict) -> bool:
    """True if this call wrote the item; False if an earlier delivery already had."""
    item = {**reading, **batch, "written_at": int(time.time() * 1000)}
    try:
        TABLE.put_item(Item=item, ConditionExpression="attribute_not_exists(reading_id)")
    except ClientError as problem:
        if problem.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def handler(event: dict, context) -> dict:
    failures, written, duplicates = [], 0, 0
    # which invocation wrote an item, and how big its batch was: the lesson counts both
    batch = {"batch_id": context.aws_request_id, "batch_size": len(event["Records"])}
    for record in event["Records"]:
        try:
            reading = parse(record["body"])
        except ValueError as problem:  # json.JSONDecodeError is a ValueError too
            print(json.dumps({"poison": record["messageId"], "why": str(problem)}))
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        try:
            fresh = write_once(reading, batch)
        except ClientError as problem:  # throttled, say: retry this message only
            print(json.dumps({"retry": record["messageId"], "why": problem.response["Error"]["Code"]}))
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        written, duplicates = (written + 1, duplicates) if fresh else (written, duplicates + 1)
    print(
        json.dumps(
            {"batch": len(event["Records"]), "written": written, "duplicates": duplicates, "failed": len(failures)}
        )
    )
    return {"batchItemFailures": failures}
