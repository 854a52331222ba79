"""Writes each SQS message to DynamoDB; reports the ones it could not write as batch item failures."""

import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    failures = []
    for record in event["Records"]:
        body = json.loads(record["body"])
        if body.get("poison"):
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        TABLE.put_item(Item={"pk": body["id"], "value": body["value"]})
    return {"batchItemFailures": failures}
