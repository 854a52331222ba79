"""An API Gateway proxy handler: answers with what it was asked."""

import json


def handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(
            {
                "method": event["httpMethod"],
                "path": event["path"],
                "query": event["queryStringParameters"],
                "proxy": (event.get("pathParameters") or {}).get("proxy"),
            }
        ),
    }
