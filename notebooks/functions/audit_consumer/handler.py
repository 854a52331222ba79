"""A consumer: EventBridge invokes it (asynchronously) for every event its rule matches, and it
records what it saw in the audit table. It knows nothing of the producers, only the event's shape."""

import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event: dict, context) -> dict:
    detail = event["detail"]
    TABLE.put_item(
        Item={
            "ref": detail["ref"],
            "source": event["source"],
            "detail_type": event["detail-type"],
            "amount": detail.get("amount", 0),
        }
    )
    print(f"audited {detail['ref']}: {event['detail-type']} of {detail.get('amount')}")
    return {"audited": detail["ref"]}
