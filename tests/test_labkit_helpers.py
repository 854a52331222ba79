"""labkit's lesson helpers: URLs by target, printing without noise, names and tags, and the sweeper."""

from __future__ import annotations

import datetime
import json

from conftest import FUNCTIONS, TEST_ROLE
from labkit import apis, cleanup, clients, lambdas, naming, show
from labkit.waiting import wait_for


def test_invoke_url_follows_the_target(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/")
    assert apis.invoke_url("abc123", "dev") == "http://127.0.0.1:4566/_aws/execute-api/abc123/dev"
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert apis.invoke_url("abc123", "dev") == "https://abc123.execute-api.eu-west-1.amazonaws.com/dev"


def test_show_leaves_out_response_metadata(capsys):
    response = {
        "ResponseMetadata": {"RequestId": "r-1"},
        "Name": "x",
        "When": datetime.datetime(2026, 1, 2),
        "Raw": b"abc",
    }
    assert show.without_metadata(response) == {"Name": "x", "When": response["When"], "Raw": b"abc"}
    assert show.without_metadata(response, ["Raw", "Name", "Missing"]) == {"Raw": b"abc", "Name": "x"}
    show.show(response)
    printed = json.loads(capsys.readouterr().out)
    assert printed == {"Name": "x", "When": "2026-01-02T00:00:00", "Raw": "<3 bytes>"}


def test_names_and_tags_follow_the_convention(monkeypatch):
    assert naming.resource_name("010", "orders") == "slnb-010-orders"
    assert naming.tags("010") == {"serverless-notebooks": "010"}
    assert naming.tag_list("010") == [{"Key": "serverless-notebooks", "Value": "010"}]
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    assert naming.fixed_id("slnb010api") == {"_custom_id_": "slnb010api"}
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    assert naming.fixed_id("slnb010api") == {}  # AWS picks its own ids


def test_deploy_function_creates_then_updates(target, unique):
    name = naming.resource_name("998", f"deploy-{unique}")
    first = lambdas.deploy_function(
        name, lambdas.zip_directory(FUNCTIONS / "probe"), "probe.handler", TEST_ROLE, tags=naming.tags("998")
    )
    second = lambdas.deploy_function(
        name, lambdas.zip_directory(FUNCTIONS / "api"), "api.handler", TEST_ROLE, timeout=7, tags=naming.tags("998")
    )
    assert first["State"] == second["State"] == "Active" and second["LastUpdateStatus"] == "Successful"
    assert first["CodeSha256"] != second["CodeSha256"] and (second["Handler"], second["Timeout"]) == ("api.handler", 7)
    event = {"httpMethod": "GET", "path": "/x", "queryStringParameters": None}
    answer = json.loads(clients.client("lambda").invoke(FunctionName=name, Payload=json.dumps(event))["Payload"].read())
    assert answer["statusCode"] == 200
    logs = clients.client("logs")
    wait_for(
        lambda: logs.describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")["logGroups"],
        "the function's log group",
    )
    # Lambda made that log group itself, untagged: named after a suite function, it goes too
    assert cleanup.sweep("998") == [f"Lambda function {name}", f"log group /aws/lambda/{name}"]


def test_the_sweeper_takes_only_what_has_prefix_and_tag(target, unique):
    sqs, s3 = clients.client("sqs"), clients.client("s3")
    ours = naming.resource_name("997", f"queue-{unique}")
    untagged = naming.resource_name("997", f"untagged-{unique}")
    foreign = f"other-{unique}"
    for queue, tags in ((ours, naming.tags("997")), (untagged, {}), (foreign, naming.tags("997"))):
        sqs.create_queue(QueueName=queue, tags=tags)
    bucket = naming.resource_name("997", f"bucket-{unique}")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": naming.tag_list("997")})
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")  # a bucket is emptied before it goes

    assert sorted(cleanup.leftovers("997")) == [f"S3 bucket {bucket}", f"SQS queue {ours}"]
    assert cleanup.leftovers("996") == []
    assert sorted(cleanup.sweep("997", dry_run=True)) == sorted(cleanup.leftovers("997"))
    assert sorted(cleanup.sweep("997")) == [f"S3 bucket {bucket}", f"SQS queue {ours}"]
    assert cleanup.leftovers("997") == []
    remaining = [u.rsplit("/", 1)[-1] for u in sqs.list_queues().get("QueueUrls", [])]
    assert untagged in remaining and foreign in remaining
    for queue in (untagged, foreign):
        sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=queue)["QueueUrl"])
