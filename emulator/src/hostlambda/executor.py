"""LocalStack's ``RuntimeExecutor`` for Python functions run as host processes, without Docker.

LocalStack creates one executor per execution environment and drives it through ``start``,
``invoke`` and ``stop``. Each executor owns a :class:`~hostlambda.bridge.RuntimeBridge`, whose
Runtime API listens on a free 127.0.0.1 port and whose runtime is forked by the zygote (one per
LocalStack process). The executor turns the bridge's answers into what LocalStack expects back:
a finished start, ``StatusErrorException`` with the init error, or an ``InvocationResult``.

Settings (environment variables of the LocalStack process):

* ``HOSTLAMBDA_PYTHON``: the interpreter of the Lambda runtime, with ``awslambdaric`` and ``boto3``
  installed — the packages AWS's Python runtimes carry, and nothing of LocalStack's.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from concurrent.futures import CancelledError, Future
from pathlib import Path

from localstack import config
from localstack.aws.api.lambda_ import PackageType
from localstack.aws.connect import connect_to
from localstack.services.lambda_.invocation.executor_endpoint import (
    ShutdownDuringStartup,
    StatusErrorException,
)
from localstack.services.lambda_.invocation.lambda_models import (
    FunctionVersion,
    InvocationResult,
    RequestEntityTooLargeException,
)
from localstack.services.lambda_.invocation.logs import LogItem
from localstack.services.lambda_.invocation.runtime_executor import RuntimeExecutor

from hostlambda import aws_shapes
from hostlambda.bridge import EnvironmentSpec, RuntimeBridge
from hostlambda.localstack_patches import deliver_logs
from hostlambda.zygote import RuntimeProcess, ZygoteClient

LOG = logging.getLogger(__name__)

PYTHON_SETTING = "HOSTLAMBDA_PYTHON"
MAX_WAIT_S = 900 + 5  # Lambda's longest timeout, plus LocalStack's own margin

_zygote: ZygoteClient | None = None
_zygote_lock = threading.Lock()


class UnsupportedFunction(Exception):
    """Raised while preparing a version; LocalStack turns it into the function's Failed state."""


def runtime_python() -> str:
    python = os.environ.get(PYTHON_SETTING, "")
    if not python or not Path(python).is_file():
        raise UnsupportedFunction(
            f"{PYTHON_SETTING} must name the Lambda runtime's Python interpreter "
            f"(a virtual environment with awslambdaric and boto3); it is {python!r}"
        )
    return python


def zygote() -> ZygoteClient:
    """The fork server, started on first use and restarted if it died."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive():
            workdir = Path(tempfile.mkdtemp(prefix="hostlambda-"))
            started = time.perf_counter()
            _zygote = ZygoteClient(runtime_python(), workdir)
            LOG.info("Lambda runtime fork server ready in %.0f ms", (time.perf_counter() - started) * 1000)
        return _zygote


def _spawn(*args) -> RuntimeProcess:
    """Fork a runtime from the current fork server (a re-init after a crash finds a restarted one)."""
    return zygote().spawn(*args)


def _gateway_port() -> int:
    return config.GATEWAY_LISTEN[0].port


class _Answers:
    """The bridge's reporter: futures that ``start`` and ``invoke`` wait on."""

    def __init__(self) -> None:
        self.startup: Future[None] = Future()
        self.result: Future[InvocationResult] | None = None

    def ready(self) -> None:
        self.startup.set_result(None)

    def init_failed(self, body: bytes) -> None:
        if not self.startup.done():
            self.startup.set_exception(StatusErrorException("Environment startup failed", payload=body))

    def finished(self, request_id: str, body: bytes, is_error: bool, logs: str) -> None:
        result = self.result
        if result is not None and not result.done():
            result.set_result(InvocationResult(request_id, body, is_error=is_error, logs=logs))

    def cancel(self) -> None:
        self.startup.cancel()
        if self.result is not None:
            self.result.cancel()


class HostRuntimeExecutor(RuntimeExecutor):
    def __init__(self, id: str, function_version: FunctionVersion) -> None:  # noqa: A002 - LocalStack's name
        super().__init__(id=id, function_version=function_version)
        self.answers = _Answers()
        self.bridge: RuntimeBridge | None = None

    # --- where things are ---------------------------------------------------------------------------

    def get_address(self) -> str:
        return "127.0.0.1"

    def get_endpoint_from_executor(self) -> str:
        return "127.0.0.1"

    def get_runtime_endpoint(self) -> str:
        """LocalStack's callback URL for runtime-init; the bridge answers in-process instead."""
        return f"http://127.0.0.1:{_gateway_port()}/_localstack_lambda/{self.id}"

    # --- lifecycle ----------------------------------------------------------------------------------

    def _spec(self, env_vars: dict) -> EnvironmentSpec:
        cfg = self.function_version.config
        task_root = str(cfg.code.get_unzipped_code_location())
        layers = [str(layer.code.get_unzipped_code_location()) for layer in cfg.layers if layer.code]
        python = runtime_python()
        version = cfg.runtime.removeprefix("python")
        env = {key: str(value) for key, value in env_vars.items() if value is not None}
        env.update(
            {
                "LAMBDA_TASK_ROOT": task_root,
                "LAMBDA_RUNTIME_DIR": str(Path(python).parent.parent),
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{cfg.runtime}",
                "PATH": f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin",
                "LANG": "C.UTF-8",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update({k: str(v) for k, v in (cfg.environment or {}).items()})  # the function's own win
        # AWS's order: the code, then each layer's python/lib/pythonX.Y/site-packages and python/
        path = [task_root]
        for layer in layers:
            path += [f"{layer}/python/lib/python{version}/site-packages", f"{layer}/python"]
        return EnvironmentSpec(
            env=env,
            handler=cfg.handler,
            task_root=task_root,
            python_path=path,
            timeout_s=float(cfg.timeout),
            memory_mb=str(cfg.memory_size),
            version=self.function_version.id.qualifier,
        )

    def start(self, env_vars: dict[str, str]) -> None:
        """Start the environment and wait until its handler has loaded (or failed to)."""
        self.bridge = RuntimeBridge(self._spec(env_vars), _spawn, self.answers)
        self.bridge.start()
        try:
            self.answers.startup.result()
        except StatusErrorException:
            self._store_init_logs()
            raise
        except CancelledError as stopped:  # LocalStack's startup timer stopped us
            raise ShutdownDuringStartup("execution environment stopped during startup") from stopped

    def _store_init_logs(self) -> None:
        """AWS writes a failed init's output to the function's log group; so do we."""
        output = self.bridge.recent_output() if self.bridge else ""
        if not output.strip():
            return
        fid = self.function_version.id
        stream = f"{time.strftime('%Y/%m/%d', time.gmtime())}/[{fid.qualifier}]{self.id}"
        logs = connect_to(aws_access_key_id=fid.account, region_name=fid.region).logs
        deliver_logs(logs, [LogItem(f"/aws/lambda/{fid.function_name}", stream, output)])

    def stop(self) -> None:
        if self.bridge:
            self.bridge.stop()
        self.answers.cancel()

    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        """One invocation, answered when the runtime responds, fails, times out or dies."""
        if len(payload["payload"].encode()) > aws_shapes.MAX_REQUEST_BYTES:
            raise RequestEntityTooLargeException(aws_shapes.request_too_large_message())
        self.answers.result = Future()
        self.bridge.invoke(payload)
        # the bridge enforces the function's timeout; this only bounds a lost answer, as LocalStack does
        return self.answers.result.result(timeout=MAX_WAIT_S)

    def get_logs(self) -> str:
        return self.bridge.recent_output() if self.bridge else ""

    # --- per version --------------------------------------------------------------------------------

    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        cfg = function_version.config
        if cfg.package_type != PackageType.Zip:
            raise UnsupportedFunction(
                "container-image functions need Docker; the host executor runs .zip Python functions"
            )
        if not (cfg.runtime or "").startswith("python"):
            raise UnsupportedFunction(
                f"runtime {cfg.runtime} needs Docker; the host executor runs Python runtimes only"
            )
        cfg.code.prepare_for_execution()
        for layer in cfg.layers:
            if layer.code:
                layer.code.prepare_for_execution()
        zygote()

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        """Nothing to undo: LocalStack removes the unzipped code itself."""

    @classmethod
    def validate_environment(cls) -> bool:
        try:
            runtime_python()
        except UnsupportedFunction as problem:
            LOG.warning("Lambda cannot run functions: %s", problem)
            return False
        return True
