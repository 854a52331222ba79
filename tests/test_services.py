"""Every service the notebooks build on, proved through boto3 against the embedded LocalStack."""

from __future__ import annotations

import json
import urllib.request

from labkit import clients
from labkit.waiting import wait_for


def queue_with_policy(name: str, principal_service: str, source_arn: str) -> tuple[str, str]:
    """A queue that lets one AWS service (SNS, EventBridge) send to it from one source."""
    sqs = clients.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": principal_service},
                "Action": "sqs:SendMessage",
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    return url, arn


def receive_one(queue_url: str, what: str) -> dict:
    sqs = clients.client("sqs")
    messages = wait_for(lambda: sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages"), what)
    return messages[0]


def test_s3_stores_and_returns_objects(target, unique):
    s3 = clients.client("s3")
    bucket = f"test-bucket-{unique}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="docs/a.json", Body=b'{"a": 1}', ContentType="application/json")
    got = s3.get_object(Bucket=bucket, Key="docs/a.json")
    assert got["Body"].read() == b'{"a": 1}' and got["ContentType"] == "application/json"
    s3.delete_object(Bucket=bucket, Key="docs/a.json")
    s3.delete_bucket(Bucket=bucket)


def test_sqs_sends_and_receives_with_path_style_urls(target, unique):
    sqs = clients.client("sqs")
    url = sqs.create_queue(QueueName=f"test-queue-{unique}")["QueueUrl"]
    assert url == f"http://127.0.0.1:4566/queue/us-east-1/000000000000/test-queue-{unique}"
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    message = receive_one(url, "the message")
    assert message["Body"] == "hello"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    sqs.delete_queue(QueueUrl=url)


def test_sns_fans_out_to_sqs(target, unique):
    sns = clients.client("sns")
    topic = sns.create_topic(Name=f"test-topic-{unique}")["TopicArn"]
    url, arn = queue_with_policy(f"test-fanout-{unique}", "sns.amazonaws.com", topic)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    sns.publish(TopicArn=topic, Message="fan-out")
    assert receive_one(url, "the SNS message in SQS")["Body"] == "fan-out"
    sns.delete_topic(TopicArn=topic)
    clients.client("sqs").delete_queue(QueueUrl=url)


def test_dynamodb_stream_records_writes(target, unique):
    ddb, streams = clients.client("dynamodb"), clients.client("dynamodbstreams")
    table = f"test-table-{unique}"
    ddb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    ddb.get_waiter("table_exists").wait(TableName=table)
    stream_arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    wait_for(
        lambda: streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["StreamStatus"] == "ENABLED",
        "the table's stream to be enabled",
    )
    ddb.put_item(TableName=table, Item={"pk": {"S": "k1"}, "v": {"N": "1"}})
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    records = wait_for(lambda: streams.get_records(ShardIterator=iterator)["Records"], "the stream record")
    assert records[0]["eventName"] == "INSERT"
    assert records[0]["dynamodb"]["NewImage"] == {"pk": {"S": "k1"}, "v": {"N": "1"}}
    ddb.delete_table(TableName=table)


def test_kinesis_keeps_records_in_order(target, unique):
    kinesis = clients.client("kinesis")
    stream = f"test-stream-{unique}"
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 1})
    for i in range(3):
        kinesis.put_record(StreamName=stream, Data=f"event-{i}".encode(), PartitionKey="one-key")
    shard = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    records = wait_for(lambda: kinesis.get_records(ShardIterator=iterator)["Records"], "the Kinesis records")
    assert [r["Data"] for r in records] == [b"event-0", b"event-1", b"event-2"]
    kinesis.delete_stream(StreamName=stream)


def test_eventbridge_rule_routes_matching_events_to_sqs(target, unique):
    events = clients.client("events")
    bus = f"test-bus-{unique}"
    events.create_event_bus(Name=bus)
    rule_arn = events.put_rule(
        Name=f"test-rule-{unique}",
        EventBusName=bus,
        EventPattern=json.dumps({"source": ["test.orders"], "detail": {"amount": [{"numeric": [">", 100]}]}}),
    )["RuleArn"]
    url, arn = queue_with_policy(f"test-routed-{unique}", "events.amazonaws.com", rule_arn)
    events.put_targets(Rule=f"test-rule-{unique}", EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    entries = [
        {"Source": "test.orders", "DetailType": "order", "Detail": json.dumps({"amount": 50}), "EventBusName": bus},
        {"Source": "test.orders", "DetailType": "order", "Detail": json.dumps({"amount": 500}), "EventBusName": bus},
    ]
    assert events.put_events(Entries=entries)["FailedEntryCount"] == 0
    routed = json.loads(receive_one(url, "the routed event")["Body"])
    assert routed["detail"] == {"amount": 500}
    assert clients.client("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages") is None
    events.remove_targets(Rule=f"test-rule-{unique}", EventBusName=bus, Ids=["queue"])
    events.delete_rule(Name=f"test-rule-{unique}", EventBusName=bus)
    events.delete_event_bus(Name=bus)
    clients.client("sqs").delete_queue(QueueUrl=url)


def test_api_gateway_rest_calls_a_lambda_proxy_over_http(deploy, unique):
    name = deploy("api", "api.handler")
    function_arn = clients.client("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    apigw = clients.client("apigateway")
    api = apigw.create_rest_api(name=f"test-api-{unique}")["id"]
    root = next(r["id"] for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/")
    proxy = apigw.create_resource(restApiId=api, parentId=root, pathPart="{proxy+}")["id"]
    apigw.put_method(restApiId=api, resourceId=proxy, httpMethod="ANY", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api,
        resourceId=proxy,
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function_arn}/invocations",
    )
    clients.client("lambda").add_permission(
        FunctionName=name,
        StatementId="apigateway",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:000000000000:{api}/*",
    )
    apigw.create_deployment(restApiId=api, stageName="test")
    url = f"http://127.0.0.1:4566/_aws/execute-api/{api}/test/orders/42?verbose=yes"
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        body = json.load(response)
    assert body == {"method": "GET", "path": "/orders/42", "query": {"verbose": "yes"}, "proxy": "orders/42"}
    apigw.delete_rest_api(restApiId=api)


def test_sqs_event_source_mapping_writes_to_dynamodb(deploy, unique):
    ddb, sqs, lam = clients.client("dynamodb"), clients.client("sqs"), clients.client("lambda")
    table = f"test-writes-{unique}"
    ddb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    ddb.get_waiter("table_exists").wait(TableName=table)
    url = sqs.create_queue(QueueName=f"test-buffer-{unique}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = deploy("writer", "writer.handler", environment={"TABLE_NAME": table})
    mapping = lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName=name, BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"]
    )["UUID"]
    wait_for(lambda: lam.get_event_source_mapping(UUID=mapping)["State"] == "Enabled", "the mapping to be enabled")
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": str(i), "MessageBody": json.dumps({"id": f"item-{i}", "value": i})} for i in range(5)],
    )
    items = wait_for(
        lambda: (found := ddb.scan(TableName=table)["Items"]) and len(found) == 5 and found,
        "five items written by the function",
    )
    assert sorted(item["pk"]["S"] for item in items) == [f"item-{i}" for i in range(5)]
    lam.delete_event_source_mapping(UUID=mapping)
    sqs.delete_queue(QueueUrl=url)
    ddb.delete_table(TableName=table)


def test_step_functions_runs_a_lambda_task(deploy, unique):
    name = deploy("probe", "probe.handler")
    function_arn = clients.client("lambda").get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    sfn = clients.client("stepfunctions")
    definition = {
        "StartAt": "Echo",
        "States": {
            "Echo": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": function_arn, "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    }
    machine = sfn.create_state_machine(
        name=f"test-machine-{unique}",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::000000000000:role/test-sfn-role",
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"order": 7}))["executionArn"]
    done = wait_for(
        lambda: (d := sfn.describe_execution(executionArn=execution))["status"] != "RUNNING" and d,
        "the execution to finish",
    )
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == {"echo": {"order": 7}}
    sfn.delete_state_machine(stateMachineArn=machine)
