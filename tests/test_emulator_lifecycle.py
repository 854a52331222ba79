"""``up`` reuses, ``down`` leaves nothing behind, and a busy or foreign port is named, not hidden."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import psutil
import pytest

from conftest import ended
from labkit import clients, emulator, paths, targets


def test_up_is_idempotent(target):
    first = emulator.up()
    second = emulator.up()
    assert first.embedded and second.embedded and first.pid == second.pid


def test_down_stops_localstack_and_everything_it_started_all_on_loopback(target, deploy, unique):
    # Make LocalStack start every kind of child: a Lambda environment (forked by the fork server),
    # DynamoDB Local's JVM and kinesis-mock's Node process.
    name = deploy("probe", "probe.handler")
    clients.client("lambda").invoke(FunctionName=name, Payload=b"{}")
    clients.client("dynamodb").create_table(
        TableName=f"test-down-{unique}",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    clients.client("kinesis").create_stream(StreamName=f"test-down-{unique}", ShardCount=1)
    root = psutil.Process(emulator.status().pid)
    tree = [root, *root.children(recursive=True)]
    commands = " ".join(" ".join(p.cmdline()) for p in tree)
    assert "java" in commands and "kinesis-local" in commands and "zygote.py" in commands
    assert len(tree) >= 5  # LocalStack, JVM, Node, the fork server and at least one environment
    listening = [c.laddr for p in tree for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert len(listening) >= 4  # the gateway, a Runtime API, DynamoDB Local, kinesis-mock
    assert {address.ip for address in listening} <= {"127.0.0.1", "::ffff:127.0.0.1", "::1"}, listening

    stopped = emulator.down()

    assert {p.pid for p in tree} <= set(stopped)
    assert [p.pid for p in tree if not ended(p.pid)] == []
    leftovers = [
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if str(paths.EMULATOR_HOME) in " ".join(p.info["cmdline"] or []) and not ended(p.pid)
    ]
    assert leftovers == []
    assert not emulator.status().running and not paths.PID_FILE.exists()
    emulator.up(fresh=True)  # the rest of the session continues on a new emulator
    targets.connect(quiet=True)


def test_a_busy_port_is_named():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        with pytest.raises(
            emulator.EmulatorError, match=f"port {busy} on 127.0.0.1 is in use by something that is not LocalStack"
        ):
            emulator.check_port_free(busy)


class _OtherLocalStack(BaseHTTPRequestHandler):
    """Answers the health check as LocalStack in Docker would (no Docker engine here to run it)."""

    def do_GET(self):
        body = json.dumps({"services": {"s3": "running"}, "version": "4.14.0"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_another_localstack_on_the_port_is_used_not_replaced(target, monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), _OtherLocalStack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    other_port = server.server_address[1]
    try:
        monkeypatch.setenv(emulator.PORT_SETTING, str(other_port))
        found = emulator.up()
        assert found.running and not found.embedded and found.version == "4.14.0"
        with pytest.raises(emulator.EmulatorError, match="tests need the embedded LocalStack"):
            emulator.up(fresh=True)
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{other_port}")
        assert targets.detect(start=False).kind == "docker"
    finally:
        server.shutdown()
