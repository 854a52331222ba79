"""A handler that does whatever the event asks, so one function can show every behaviour."""

import ctypes
import json
import logging
import os
import sys
import time

import boto3

INVOCATIONS = 0  # module state: survives between invocations of a warm environment
print("probe: module loaded")
logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    global INVOCATIONS
    INVOCATIONS += 1
    action = event.get("action", "echo")
    print(f"probe: action={action}")
    logger.info("probe: logged through logging")
    if action == "context":
        return {
            "aws_request_id": context.aws_request_id,
            "function_name": context.function_name,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "remaining_ms": context.get_remaining_time_in_millis(),
            "env": {
                k: os.environ.get(k)
                for k in ("AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_ENDPOINT_URL", "GREETING", "AWS_EXECUTION_ENV")
            },
        }
    if action == "count":
        return {"invocations": INVOCATIONS, "pid": os.getpid()}
    if action == "sleep":
        time.sleep(event["seconds"])
        return {"slept": event["seconds"], "pid": os.getpid()}
    if action == "raise":
        raise ValueError("the probe was asked to fail")
    if action == "unserialisable":
        return {"when": object()}
    if action == "big_response":
        return "x" * (7 * 1024 * 1024)
    if action == "exit":
        sys.exit(event.get("code", 0))
    if action == "crash":
        ctypes.string_at(0)  # a segmentation fault in the interpreter
    if action == "sqs":  # the handler's own boto3 reaches the emulator through AWS_ENDPOINT_URL
        boto3.client("sqs").send_message(QueueUrl=event["queue_url"], MessageBody=json.dumps(event["body"]))
        return {"sent": True}
    return {"echo": event}
