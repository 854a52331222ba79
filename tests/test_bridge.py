"""The bridge and the fork server on their own: AWS's runtime client, no LocalStack in between."""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

import pytest

from conftest import ended
from hostlambda import aws_shapes
from hostlambda.bridge import EnvironmentSpec, RuntimeBridge
from hostlambda.zygote import ZygoteClient
from labkit import emulator_env, paths
from labkit.waiting import wait_for

FUNCTIONS = Path(__file__).parent / "functions"


class Recorder:
    """The bridge's reporter, keeping what the bridge says."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.init_error: bytes | None = None
        self.results: dict[str, tuple[bytes, bool, str]] = {}
        self._done = threading.Condition()

    def ready(self) -> None:
        self.started.set()

    def init_failed(self, body: bytes) -> None:
        self.init_error = body
        self.started.set()

    def finished(self, request_id: str, body: bytes, is_error: bool, logs: str) -> None:
        with self._done:
            self.results[request_id] = (body, is_error, logs)
            self._done.notify_all()

    def result(self, request_id: str, timeout: float = 15) -> tuple[bytes, bool, str]:
        with self._done:
            assert self._done.wait_for(lambda: request_id in self.results, timeout), f"no answer for {request_id}"
            return self.results[request_id]


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    emulator_env.ensure()
    client = ZygoteClient(str(paths.venv_python(paths.LAMBDA_VENV)), tmp_path_factory.mktemp("zygote"))
    yield client
    client.stop()


def start(zygote: ZygoteClient, folder: str, handler: str, timeout_s: float = 5) -> tuple[RuntimeBridge, Recorder]:
    recorder = Recorder()
    task_root = str(FUNCTIONS / folder)
    spec = EnvironmentSpec(
        env={"AWS_LAMBDA_FUNCTION_NAME": folder, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "PATH": os.environ["PATH"]},
        handler=handler,
        task_root=task_root,
        python_path=[task_root],
        timeout_s=timeout_s,
        memory_mb="128",
        version="$LATEST",
    )
    bridge = RuntimeBridge(spec, zygote.spawn, recorder)
    bridge.start()
    assert recorder.started.wait(15)
    return bridge, recorder


def invoke(bridge: RuntimeBridge, request_id: str, event: dict) -> None:
    bridge.invoke(
        {
            "invoke-id": request_id,
            "invoked-function-arn": "arn:aws:lambda:us-east-1:000000000000:function:f",
            "payload": json.dumps(event),
            "trace-id": "Root=1-5759e988-bd862e3fe1be46a994272793",
        }
    )


def test_logs_are_framed_as_lambda_frames_them(zygote):
    bridge, recorder = start(zygote, "probe", "probe.handler")
    try:
        invoke(bridge, "req-1", {"action": "echo"})
        body, is_error, logs = recorder.result("req-1")
        assert json.loads(body) == {"echo": {"action": "echo"}} and not is_error
        lines = logs.splitlines()
        assert lines[0] == "probe: module loaded"
        assert lines[1] == "START RequestId: req-1 Version: $LATEST"
        assert lines[2] == "probe: action=echo"
        assert re.fullmatch(r"\[INFO\]\t\S+Z\treq-1\tprobe: logged through logging", lines[3])
        assert lines[4] == "END RequestId: req-1"
        assert re.fullmatch(
            r"REPORT RequestId: req-1\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\t"
            r"Memory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t",
            lines[5],
        )
        invoke(bridge, "req-2", {"action": "echo"})
        assert "Init Duration" not in recorder.result("req-2")[2]  # only the first invocation after an init
    finally:
        bridge.stop()


def test_a_timeout_also_stops_what_the_handler_started(zygote):
    bridge, recorder = start(zygote, "spawner", "spawner.handler", timeout_s=1)
    try:
        invoke(bridge, "slow", {"seconds": 30})
        body, is_error, logs = recorder.result("slow")
        assert is_error and json.loads(body)["errorType"] == "Sandbox.Timedout"
        assert logs.rstrip().endswith("Status: timeout")
        child = int(re.search(r"spawner: child (\d+)", logs).group(1))

        assert wait_for(lambda: ended(child), "the handler's child process to be stopped", timeout=5)
    finally:
        bridge.stop()


def test_a_runtime_that_exits_while_loading_reports_an_init_error(zygote):
    bridge, recorder = start(zygote, "exits_at_import", "exits.handler")
    try:
        assert json.loads(recorder.init_error) == {
            "errorType": "Runtime.ExitError",
            "errorMessage": "Error: Runtime exited with error: exit status 2",
        }
        assert "exits: giving up while loading" in bridge.recent_output()
    finally:
        bridge.stop()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (0, "Runtime exited without providing a reason"),
        (1, "Runtime exited with error: exit status 1"),
        (-9, "Runtime exited with error: signal: killed"),
        (-11, "Runtime exited with error: signal: segmentation fault"),
        (-6, "Runtime exited with error: signal: aborted"),
    ],
)
def test_exit_reasons_use_the_lambda_platform_words(code, reason):
    assert aws_shapes.exit_reason(code) == reason
