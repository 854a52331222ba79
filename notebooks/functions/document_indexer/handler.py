"""Keeps the document index in step with the bucket, from S3 event notifications.

ObjectCreated: read the object's metadata (HeadObject) and write its index item — the pointer
(bucket, key, size, ETag, content type) and the fields queries need (category, title).
ObjectRemoved: delete the index item.

S3 delivers notifications at least once and not always in order, so both writes are safe to repeat,
and a create whose object is already gone again writes nothing.
"""

import os
import urllib.parse

import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def doc_id(key: str) -> str:
    """``incoming/report-7.json`` → ``report-7``."""
    return key.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def index_item(bucket: str, key: str, head: dict) -> dict:
    metadata = head["Metadata"]  # the object's x-amz-meta-* headers, set by the uploader
    return {
        "doc_id": doc_id(key),
        "bucket": bucket,
        "key": key,
        "size": head["ContentLength"],
        "etag": head["ETag"].strip('"'),
        "content_type": head["ContentType"],
        "category": metadata.get("category", "uncategorised"),
        "title": metadata.get("title", doc_id(key)),
    }


def handler(event: dict, context) -> dict:
    indexed, removed = [], []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])  # keys arrive URL-encoded
        if record["eventName"].startswith("ObjectCreated"):
            try:
                head = s3.head_object(Bucket=bucket, Key=key)
            except ClientError as problem:
                if problem.response["Error"]["Code"] in ("404", "NoSuchKey"):
                    continue  # deleted before this notification arrived
                raise
            TABLE.put_item(Item=index_item(bucket, key, head))
            indexed.append(key)
        elif record["eventName"].startswith("ObjectRemoved"):
            TABLE.delete_item(Key={"doc_id": doc_id(key)})
            removed.append(key)
    print({"indexed": indexed, "removed": removed})
    return {"indexed": len(indexed), "removed": len(removed)}
