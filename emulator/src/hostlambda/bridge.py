"""One execution environment: LocalStack's invocations on one side, the Lambda Runtime API on the
other — what LocalStack's runtime-init binary does inside its containers.

::

    executor ──invoke(request)──▶ bridge ◀── GET  /2018-06-01/runtime/invocation/next ── awslambdaric
             ◀── Reporter ────────        ──▶ POST …/invocation/{id}/response | …/error
                 ready / init_failed / finished(logs, result)

The requests and answers are those of LocalStack's ``/invoke`` protocol (``invoke-id``,
``invoked-function-arn``, ``payload``, ``trace-id``; then the logs, then the response or the error).
The bridge lives in LocalStack's own process, so they are method calls rather than HTTP: the two
callbacks through LocalStack's gateway took 3–8 ms of every invoke, measured here.

The runtime (AWS's ``awslambdaric``, forked by the zygote) does everything inside the handler: the
context object, the error shapes, the module state that survives between invocations. The bridge
owns what a runtime cannot: the deadline (it stops the runtime and reports AWS's timeout), the
logs (START/END/REPORT around the runtime's output), a runtime that dies, a result too large to
return, and re-initialising the environment after any of those, as AWS does.

It uses only the standard library and knows nothing of LocalStack, so it can be tested on its own.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol

from hostlambda import aws_shapes
from hostlambda.logpipe import LogPipe
from hostlambda.zygote import RuntimeProcess

RUNTIME_API = "/2018-06-01/runtime"

Spawner = Callable[[dict[str, str], str, str, list[str], int], RuntimeProcess]


class Reporter(Protocol):
    """Where the bridge's answers go (in LocalStack: the executor's futures)."""

    def ready(self) -> None: ...

    def init_failed(self, body: bytes) -> None: ...

    def finished(self, request_id: str, body: bytes, is_error: bool, logs: str) -> None: ...


@dataclass(frozen=True)
class EnvironmentSpec:
    """What the bridge needs to know about the function it serves."""

    env: dict[str, str]  # the runtime's environment, without AWS_LAMBDA_RUNTIME_API
    handler: str
    task_root: str
    python_path: list[str]  # the task root and the layers, in AWS's order
    timeout_s: float
    memory_mb: str
    version: str


@dataclass
class Invocation:
    request_id: str
    function_arn: str
    payload: bytes
    trace_id: str
    started: float = 0.0
    deadline: float = float("inf")
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self) -> bool:
        """The first of result, timeout or exit to claim an invocation reports it."""
        with self.lock:
            if self.done:
                return False
            self.done = True
            return True


class _Runtime:
    """One runtime process (one "init"), its log pipe and the invocations waiting for it."""

    def __init__(self, process: RuntimeProcess, logs: LogPipe) -> None:
        self.process = process
        self.logs = logs
        self.init_started = time.perf_counter()
        self.initialized = False
        self.init_duration_ms: float | None = None
        self.init_output = ""
        self.init_error: bytes | None = None
        self.peak_memory_mb: int | None = None
        self.queue: queue.Queue[Invocation | None] = queue.Queue()

    def measure_memory(self) -> int | None:
        """Peak resident memory in MB, from the kernel (VmHWM); the last reading once it is gone."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return self.peak_memory_mb
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_memory_mb = -(-int(line.split()[1]) // 1024)
        return self.peak_memory_mb


class RuntimeBridge:
    def __init__(self, spec: EnvironmentSpec, spawn: Spawner, reporter: Reporter) -> None:
        self.spec = spec
        self._spawn = spawn
        self._reporter = reporter
        self._lock = threading.RLock()
        self._runtime: _Runtime | None = None
        self._latest: _Runtime | None = None  # kept after it ends, for its output
        self._current: Invocation | None = None
        self._status_reported = False
        self._stopped = False
        self._deadline_changed = threading.Condition(self._lock)
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        for target, name in ((self._serve, "api"), (self._enforce_deadlines, "deadline")):
            threading.Thread(target=target, daemon=True, name=f"hostlambda-{name}-{self.port}").start()

    # --- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the runtime; the reporter hears ``ready`` or ``init_failed`` once it has loaded."""
        with self._lock:
            self._start_runtime()

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def _start_runtime(self) -> _Runtime:
        logs = LogPipe()
        env = {**self.spec.env, "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{self.port}"}
        try:
            process = self._spawn(env, self.spec.handler, self.spec.task_root, self.spec.python_path, logs.write_fd)
        except BaseException:
            logs.close()
            raise
        logs.release_writer()
        runtime = _Runtime(process, logs)
        self._runtime = self._latest = runtime
        threading.Thread(
            target=self._watch, args=(runtime,), daemon=True, name=f"hostlambda-exit-{process.pid}"
        ).start()
        return runtime

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            runtime, self._runtime = self._runtime, None
            self._deadline_changed.notify()
        if runtime:
            runtime.process.close()
            runtime.queue.put(None)
            runtime.logs.close()
        threading.Thread(target=self._close_server, daemon=True).start()

    def _close_server(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def recent_output(self) -> str:
        """The latest runtime's last output, even if it has ended (an init that failed)."""
        runtime = self._latest
        return runtime.logs.tail() if runtime else ""

    # --- LocalStack's side -------------------------------------------------------------------------

    def invoke(self, request: dict[str, str]) -> None:
        """Queue one invocation; its answer comes through the reporter."""
        invocation = Invocation(
            request_id=request["invoke-id"],
            function_arn=request["invoked-function-arn"],
            payload=request["payload"].encode(),
            trace_id=request.get("trace-id") or "",
        )
        with self._lock:
            if self._stopped:
                raise RuntimeError("the execution environment is shutting down")
            runtime = self._runtime or self._start_runtime()  # re-init after a timeout or a crash
            runtime.queue.put(invocation)

    def _report_status(self, ready: bool, body: bytes = b"") -> None:
        with self._lock:
            if self._status_reported:
                return
            self._status_reported = True
        if ready:
            self._reporter.ready()
        else:
            self._reporter.init_failed(body)

    def _finish(
        self,
        runtime: _Runtime,
        invocation: Invocation,
        body: bytes,
        is_error: bool,
        platform_log: str = "",
        status: str | None = None,
    ) -> None:
        """Frame the invocation's output as Lambda does and hand logs and result to the reporter."""
        duration_ms = (time.perf_counter() - invocation.started) * 1000 if invocation.started else 0.0
        init_ms, runtime.init_duration_ms = runtime.init_duration_ms, None
        init_output, runtime.init_output = runtime.init_output, ""
        logs = (
            init_output
            + aws_shapes.start_line(invocation.request_id, self.spec.version)
            + runtime.logs.drain()
            + platform_log
            + aws_shapes.end_lines(
                invocation.request_id,
                duration_ms,
                self.spec.memory_mb,
                runtime.measure_memory(),
                init_ms,
                status,
            )
        )
        self._reporter.finished(invocation.request_id, body, is_error, logs)

    # --- the Runtime API side ----------------------------------------------------------------------

    def next_invocation(self) -> Invocation | None:
        """GET …/invocation/next: init is over when the runtime first asks; then wait for work."""
        runtime = self._runtime
        if runtime is None:
            return None
        if not runtime.initialized:
            runtime.initialized = True
            runtime.init_duration_ms = (time.perf_counter() - runtime.init_started) * 1000
            runtime.init_output = runtime.logs.drain()
            self._report_status(ready=True)
        invocation = runtime.queue.get()
        if invocation is None:
            return None
        runtime.measure_memory()  # a reading to report even if the runtime dies mid-invocation
        invocation.started = time.perf_counter()
        invocation.deadline = invocation.started + self.spec.timeout_s
        with self._lock:
            self._current = invocation
            self._deadline_changed.notify()
        return invocation

    def _take_current(self, request_id: str) -> Invocation | None:
        with self._lock:
            invocation = self._current
            if invocation is None or invocation.request_id != request_id:
                return None
            self._current = None
        return invocation if invocation.claim() else None

    def on_result(self, request_id: str, body: bytes, is_error: bool) -> bool:
        """POST …/invocation/{id}/response or …/error."""
        runtime = self._runtime
        invocation = self._take_current(request_id)
        if invocation is None or runtime is None:
            return False
        if not is_error and len(body) > aws_shapes.MAX_RESPONSE_BYTES:
            body, is_error = aws_shapes.response_too_large_error(), True
        self._finish(runtime, invocation, body, is_error)
        return True

    def on_init_error(self, body: bytes) -> None:
        """POST …/init/error: the handler could not be loaded; awslambdaric exits right after."""
        runtime = self._runtime
        if runtime is not None:
            runtime.init_error = body
        self._report_status(ready=False, body=body)

    def _enforce_deadlines(self) -> None:
        """One thread per environment watches the running invocation's deadline."""
        with self._lock:
            while not self._stopped:
                current = self._current
                wait = current.deadline - time.perf_counter() if current else None
                if wait is None or wait > 0:
                    self._deadline_changed.wait(wait)
                    continue
                self._current = None
                runtime = self._runtime
                if runtime is not None and current.claim():
                    threading.Thread(target=self._time_out, args=(runtime, current), daemon=True).start()

    def _time_out(self, runtime: _Runtime, invocation: Invocation) -> None:
        runtime.measure_memory()
        runtime.process.kill()  # AWS resets the environment: the next invoke starts a new init
        runtime.logs.wait_closed(1.0)
        self._finish(
            runtime,
            invocation,
            aws_shapes.timeout_error(invocation.request_id, self.spec.timeout_s),
            True,
            aws_shapes.timeout_log_line(invocation.request_id, self.spec.timeout_s),
            status="timeout",
        )

    def _watch(self, runtime: _Runtime) -> None:
        """Wait for the runtime to end; fail what it leaves unanswered; let the next invoke re-init."""
        exit_code = runtime.process.wait()
        runtime.logs.wait_closed(1.0)
        with self._lock:
            if self._runtime is runtime:
                self._runtime = None
            orphans = [self._current] if self._current else []
            self._current = None
        runtime.queue.put(None)  # wake a /next that waits on a runtime that is gone
        while True:
            try:
                queued = runtime.queue.get_nowait()
            except queue.Empty:
                break
            if queued is not None:
                orphans.append(queued)
        if runtime.init_error is None:
            self._report_status(ready=False, body=aws_shapes.exit_error("", exit_code))
        for invocation in orphans:
            if not invocation.claim():
                continue
            if runtime.init_error is not None:
                self._finish(runtime, invocation, runtime.init_error, True)
            else:
                self._finish(
                    runtime,
                    invocation,
                    aws_shapes.exit_error(invocation.request_id, exit_code),
                    True,
                    aws_shapes.exit_log_lines(invocation.request_id, exit_code),
                )
        runtime.logs.close()


class _QuietServer(ThreadingHTTPServer):
    """A runtime killed mid-request (timeout, crash, stop) is expected; don't print its traceback."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exception(), (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _handler_for(bridge: RuntimeBridge) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # awslambdaric's native client crashes on HTTP/1.0 answers
        disable_nagle_algorithm = True  # headers and body go out in two writes; don't wait 40 ms for an ACK

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
            pass

        def _reply(self, status: int, body: bytes = b'{"status":"OK"}', headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path != f"{RUNTIME_API}/invocation/next":
                self._reply(HTTPStatus.NOT_FOUND, b'{"errorMessage":"not found"}')
                return
            invocation = bridge.next_invocation()
            if invocation is None:  # the environment is going away
                self.close_connection = True
                self._reply(HTTPStatus.GONE, b'{"errorMessage":"environment stopped"}')
                return
            deadline_ms = int(time.time() * 1000 + bridge.spec.timeout_s * 1000)
            self._reply(
                HTTPStatus.OK,
                invocation.payload,
                {
                    "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                    "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": invocation.function_arn,
                    "Lambda-Runtime-Trace-Id": invocation.trace_id or "Root=1-00000000-000000000000000000000000",
                },
            )

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            prefix = f"{RUNTIME_API}/invocation/"
            if self.path == f"{RUNTIME_API}/init/error":
                bridge.on_init_error(body)
                self._reply(HTTPStatus.ACCEPTED)
            elif self.path.startswith(prefix) and self.path.endswith(("/response", "/error")):
                request_id, _, outcome = self.path[len(prefix) :].rpartition("/")
                if bridge.on_result(request_id, body, is_error=outcome == "error"):
                    self._reply(HTTPStatus.ACCEPTED)
                else:
                    self._reply(
                        HTTPStatus.BAD_REQUEST, b'{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}'
                    )
            else:
                self._reply(HTTPStatus.NOT_FOUND, b'{"errorMessage":"not found"}')

    return Handler
