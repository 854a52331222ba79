"""The host executor through LocalStack's Lambda API, with boto3: AWS's behaviour, good and bad."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from botocore.exceptions import ClientError

from conftest import TEST_ROLE, ended
from labkit import clients, emulator, lambdas
from labkit.waiting import wait_for

PROBE = "probe.handler"


def log_messages(function_name: str) -> list[str]:
    """Every message in the function's CloudWatch log group (none before its first log)."""
    logs = clients.client("logs")
    try:
        return [e["message"] for e in logs.filter_log_events(logGroupName=f"/aws/lambda/{function_name}")["events"]]
    except logs.exceptions.ResourceNotFoundException:
        return []


def invoke(function_name: str, event: dict, **kwargs) -> tuple[dict, dict]:
    response = clients.client("lambda").invoke(FunctionName=function_name, Payload=json.dumps(event), **kwargs)
    return response, json.loads(response["Payload"].read() or b"null")


def test_request_response_gives_the_context_awslambdaric_builds(deploy):
    name = deploy("probe", PROBE, timeout=7, memory_size=256, environment={"GREETING": "hello"})
    response, body = invoke(name, {"action": "context"})
    assert response["StatusCode"] == 200 and "FunctionError" not in response
    assert body["aws_request_id"] == response["ResponseMetadata"]["RequestId"]
    assert body["function_name"] == name
    assert body["invoked_function_arn"] == f"arn:aws:lambda:us-east-1:{clients.ACCOUNT}:function:{name}"
    assert body["memory_limit_in_mb"] == "256"
    assert body["log_group_name"] == f"/aws/lambda/{name}"
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", body["log_stream_name"])
    assert 5_000 < body["remaining_ms"] <= 7_000
    assert body["env"] == {
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
        "GREETING": "hello",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
    }


def test_warm_environment_keeps_module_state(deploy):
    name = deploy("probe", PROBE)
    counts = [invoke(name, {"action": "count"})[1] for _ in range(3)]
    assert [c["invocations"] for c in counts] == [1, 2, 3]
    assert len({c["pid"] for c in counts}) == 1


def test_concurrent_invocations_get_separate_environments(deploy):
    name = deploy("probe", PROBE)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: invoke(name, {"action": "sleep", "seconds": 1})[1], range(3)))
    assert len({r["pid"] for r in results}) == 3


def test_dry_run_checks_without_running(deploy):
    name = deploy("probe", PROBE)
    response = clients.client("lambda").invoke(FunctionName=name, InvocationType="DryRun")
    assert response["StatusCode"] == 204


def test_event_invocation_runs_later_and_its_boto3_reaches_the_emulator(deploy, unique):
    sqs = clients.client("sqs")
    queue_url = sqs.create_queue(QueueName=f"test-async-{unique}")["QueueUrl"]
    name = deploy("probe", PROBE)
    response = clients.client("lambda").invoke(
        FunctionName=name,
        InvocationType="Event",
        Payload=json.dumps({"action": "sqs", "queue_url": queue_url, "body": {"hello": unique}}),
    )
    assert response["StatusCode"] == 202
    messages = wait_for(
        lambda: sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages"),
        "the asynchronous invocation's message",
        timeout=30,
    )
    assert json.loads(messages[0]["Body"]) == {"hello": unique}
    sqs.delete_queue(QueueUrl=queue_url)


def test_logs_come_back_in_the_tail_and_in_cloudwatch(deploy):
    name = deploy("probe", PROBE)
    response, _ = invoke(name, {"action": "echo"}, LogType="Tail")
    tail = base64.b64decode(response["LogResult"]).decode()
    request_id = response["ResponseMetadata"]["RequestId"]
    assert tail.startswith("probe: module loaded\n")  # init output comes before the first START
    assert f"START RequestId: {request_id} Version: $LATEST" in tail
    assert "probe: action=echo" in tail
    assert f"\t{request_id}\tprobe: logged through logging" in tail
    assert f"END RequestId: {request_id}" in tail
    assert f"REPORT RequestId: {request_id}\tDuration: " in tail and "Init Duration: " in tail

    messages = wait_for(
        lambda: (found := log_messages(name)) and any("REPORT" in m for m in found) and found,
        "the invocation's logs in CloudWatch Logs",
        timeout=15,
    )
    assert "probe: action=echo\n" in messages
    assert any(m.startswith(f"START RequestId: {request_id}") for m in messages)


def test_timeout_stops_the_handler_with_aws_error_and_the_next_invoke_starts_fresh(deploy):
    name = deploy("probe", PROBE, timeout=1)
    first = invoke(name, {"action": "count"})[1]
    response, body = invoke(name, {"action": "sleep", "seconds": 5}, LogType="Tail")
    request_id = response["ResponseMetadata"]["RequestId"]
    assert response["FunctionError"] == "Unhandled"
    assert body == {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {request_id} Error: Task timed out after 1.00 seconds",
    }
    assert f"{request_id} Task timed out after 1.00 seconds" in base64.b64decode(response["LogResult"]).decode()
    after = invoke(name, {"action": "count"})[1]
    assert after["invocations"] == 1 and after["pid"] != first["pid"]  # AWS resets the environment


@pytest.mark.parametrize(
    ("event", "error_type", "message"),
    [
        ({"action": "raise"}, "ValueError", "the probe was asked to fail"),
        (
            {"action": "unserialisable"},
            "Runtime.MarshalError",
            "Unable to marshal response: Object of type object is not JSON serializable",
        ),
        (
            {"action": "big_response"},
            "Function.ResponseSizeTooLarge",
            "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
        ),
        ({"action": "exit", "code": 0}, "Runtime.ExitError", "Error: Runtime exited without providing a reason"),
        ({"action": "exit", "code": 3}, "Runtime.ExitError", "Error: Runtime exited with error: exit status 3"),
        ({"action": "crash"}, "Runtime.ExitError", "Error: Runtime exited with error: signal: segmentation fault"),
    ],
    ids=["exception", "unserialisable", "big-response", "sys-exit-0", "sys-exit-3", "segfault"],
)
def test_bad_results_get_aws_errors_and_the_function_keeps_serving(deploy, event, error_type, message):
    name = deploy("probe", PROBE)
    response, body = invoke(name, event)
    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == error_type
    assert body["errorMessage"].endswith(message)
    if error_type == "Runtime.ExitError":
        assert body["errorMessage"].startswith(f"RequestId: {response['ResponseMetadata']['RequestId']} ")
    if error_type == "ValueError":
        assert body["requestId"] == response["ResponseMetadata"]["RequestId"]
        assert any("probe.py" in frame for frame in body["stackTrace"])
    assert invoke(name, {"action": "echo"})[1] == {"echo": {"action": "echo"}}


def test_a_request_over_six_megabytes_is_refused_like_aws(deploy):
    name = deploy("probe", PROBE)
    with pytest.raises(ClientError) as refused:
        invoke(name, {"blob": "x" * (6 * 1024 * 1024)})
    assert refused.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "6291456 bytes" in refused.value.response["Error"]["Message"]
    assert invoke(name, {"action": "echo"})[1] == {"echo": {"action": "echo"}}


@pytest.mark.parametrize(
    ("folder", "handler", "error_type", "message"),
    [
        ("broken_syntax", "broken.handler", "Runtime.UserCodeSyntaxError", "Syntax error in module 'broken'"),
        ("probe", "probe.missing", "Runtime.HandlerNotFound", "Handler 'missing' missing on module 'probe'"),
        ("probe", "nowhere.handler", "Runtime.ImportModuleError", "Unable to import module 'nowhere'"),
    ],
    ids=["syntax-error", "missing-handler", "missing-module"],
)
def test_handlers_that_cannot_load_return_the_init_error(deploy, folder, handler, error_type, message):
    name = deploy(folder, handler)
    for _ in range(2):  # and again: each invoke retries the init, as AWS does
        response, body = invoke(name, {})
        assert response["FunctionError"] == "Unhandled"
        assert body["errorType"] == error_type
        assert body["errorMessage"].startswith(message)
    # as on AWS, the failed init's output is in the function's log group
    assert wait_for(
        lambda: any(f"[ERROR] {error_type}: {message}" in m for m in log_messages(name)),
        "the init error in CloudWatch Logs",
        timeout=15,
    )


def test_other_runtimes_are_refused_with_a_state_reason_and_can_be_deleted(target, unique):
    lam = clients.client("lambda")
    name = f"test-node-{unique}"
    lam.create_function(
        FunctionName=name,
        Runtime="nodejs20.x",
        Role="arn:aws:iam::000000000000:role/x",
        Handler="index.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )
    config = wait_for(
        lambda: (c := lam.get_function_configuration(FunctionName=name))["State"] != "Pending" and c,
        "the function to leave Pending",
        timeout=15,
    )
    assert config["State"] == "Failed"
    assert "runtime nodejs20.x needs Docker" in config["StateReason"]
    with pytest.raises(ClientError) as refused:
        lam.invoke(FunctionName=name)
    assert refused.value.response["Error"]["Code"] == "ResourceConflictException"
    lam.delete_function(FunctionName=name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name)


def test_deleting_a_function_stops_its_environment(deploy):
    name = deploy("probe", PROBE)
    pid = invoke(name, {"action": "count"})[1]["pid"]
    assert not ended(pid)
    clients.client("lambda").delete_function(FunctionName=name)
    assert wait_for(lambda: ended(pid), f"the environment process {pid} to end", timeout=15)


def test_layers_are_on_the_path_as_on_aws(target, unique):
    lam = clients.client("lambda")
    layer_zip = io.BytesIO()
    with zipfile.ZipFile(layer_zip, "w") as archive:
        archive.writestr("python/greeting.py", "WORD = 'from python/'\n")
        archive.writestr("python/lib/python3.13/site-packages/punctuation/__init__.py", "MARK = '!'\n")
    layer = lam.publish_layer_version(
        LayerName=f"test-layer-{unique}", Content={"ZipFile": layer_zip.getvalue()}, CompatibleRuntimes=["python3.13"]
    )
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr(
            "uses_layer.py",
            "import greeting, punctuation\n\ndef handler(e, c):\n    return greeting.WORD + punctuation.MARK\n",
        )
    name = f"test-layered-{unique}"
    lam.create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=TEST_ROLE,
        Handler="uses_layer.handler",
        Code={"ZipFile": code.getvalue()},
        Layers=[layer["LayerVersionArn"]],
    )
    lambdas.wait_until_ready(name)
    try:
        assert invoke(name, {})[1] == "from python/!"
    finally:
        lam.delete_function(FunctionName=name)
        lam.delete_layer_version(LayerName=f"test-layer-{unique}", VersionNumber=layer["Version"])


def test_a_dead_fork_server_is_replaced_and_takes_its_runtimes_along(deploy):
    name = deploy("probe", PROBE)
    first = invoke(name, {"action": "count"})[1]
    localstack = psutil.Process(emulator.status().pid)
    (fork_server,) = [p for p in localstack.children() if "zygote.py" in " ".join(p.cmdline())]
    fork_server.kill()
    assert wait_for(lambda: ended(fork_server.pid), "the fork server to end", timeout=10)
    after = invoke(name, {"action": "count"})[1]  # a new init, from a new fork server
    assert after["invocations"] == 1 and after["pid"] != first["pid"]
    assert wait_for(
        lambda: not psutil.pid_exists(first["pid"]) or psutil.Process(first["pid"]).status() == "zombie",
        "the orphaned runtime to be stopped",
        timeout=10,
    )
    assert len([p for p in localstack.children() if "zygote.py" in " ".join(p.cmdline())]) == 1
