"""Start, stop and inspect the embedded LocalStack: LocalStack's own runtime as a host process.

``up`` is idempotent: it reuses the emulator it started before, and when some other LocalStack (the
Docker one, usually) already answers on the port, it uses that one and says so. ``down`` stops
everything ``up`` started — LocalStack, the DynamoDB Local JVM, kinesis-mock, the Lambda fork server
and every function's process — by walking the whole process tree, because those children do not
all share LocalStack's process group and outlive it when it is stopped alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

from labkit import emulator_env, paths

HOST = "127.0.0.1"
PORT_SETTING = "LABKIT_EMULATOR_PORT"
START_TIMEOUT_S = 90.0
STOP_GRACE_S = 5.0


class EmulatorError(RuntimeError):
    """The emulator could not be started or reached; the message says why and what to do."""


def port() -> int:
    return int(os.environ.get(PORT_SETTING, "4566"))


def endpoint() -> str:
    return f"http://{HOST}:{port()}"


# LocalStack's event source mappings wait 1 s after every batch and back off up to 10 s on an empty
# queue; AWS's pollers ask again at once while there are messages, and long-poll when there are none.
# These make LocalStack drain a queue as AWS does (docker-compose.yml sets the same).
EVENT_SOURCE_POLLING = {
    "LAMBDA_EVENT_SOURCE_MAPPING_POLL_INTERVAL_SEC": "0",
    "LAMBDA_EVENT_SOURCE_MAPPING_MAX_BACKOFF_ON_EMPTY_POLL_SEC": "1",
}


def host_settings(gateway_port: int) -> dict[str, str]:
    """LocalStack's settings for running on the host (../shared/guides/localstack.md)."""
    return {
        "GATEWAY_LISTEN": f"{HOST}:{gateway_port}",  # loopback only
        "LOCALSTACK_HOST": f"{HOST}:{gateway_port}",
        "OVERRIDE_IN_DOCKER": "0",  # these machines carry Docker's marker file; we are not in a container
        "FILESYSTEM_ROOT": str(paths.FILESYSTEM_ROOT),
        "TMPDIR": str(paths.TMP_DIR),
        "SQS_ENDPOINT_STRATEGY": "path",  # queue URLs that need no DNS
        "DNS_ADDRESS": "0",  # no DNS server
        "DISABLE_EVENTS": "1",  # no analytics
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "LAMBDA_RUNTIME_EXECUTOR": "host",  # the hostlambda plugin instead of Docker
        **EVENT_SOURCE_POLLING,
        "HOSTLAMBDA_PYTHON": str(paths.venv_python(paths.LAMBDA_VENV)),
        "DEBUG": os.environ.get("DEBUG", "0"),
        # and keep every server in the tree on loopback, whatever address it asks for (see the C source)
        "LD_PRELOAD": " ".join(filter(None, [str(paths.LOOPBACK_LIBRARY), os.environ.get("LD_PRELOAD")])),
    }


@dataclass(frozen=True)
class Status:
    running: bool
    endpoint: str
    embedded: bool = False  # started by labkit (otherwise some other LocalStack, or nothing)
    pid: int | None = None
    version: str | None = None

    def describe(self) -> str:
        if not self.running:
            return f"no LocalStack answers at {self.endpoint}"
        who = (
            f"embedded LocalStack (pid {self.pid})" if self.embedded else "LocalStack (not started by labkit; Docker?)"
        )
        return f"{who} {self.version or ''} at {self.endpoint}".replace("  ", " ")


def health(url: str, timeout: float = 2.0) -> dict | None:
    """LocalStack's health document, or None when nothing (or not LocalStack) answers."""
    try:
        with urllib.request.urlopen(f"{url}/_localstack/health", timeout=timeout) as response:
            document = json.load(response)
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return document if isinstance(document, dict) and "services" in document else None


def _port_in_use(port_number: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((HOST, port_number)) == 0


def _holder_of(port_number: int) -> str:
    """Best effort: which process listens on the port (needs privileges on some systems)."""
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port_number and conn.status == psutil.CONN_LISTEN and conn.pid:
                process = psutil.Process(conn.pid)
                return f" (pid {conn.pid}: {' '.join(process.cmdline())[:80]})"
    except (psutil.Error, OSError):
        pass
    return ""


def _our_process() -> tuple[psutil.Process, int] | None:
    """The LocalStack process labkit started, and its port, if it is still alive."""
    try:
        recorded = json.loads(paths.PID_FILE.read_text())
        process = psutil.Process(recorded["pid"])
        if "localstack.runtime.main" in " ".join(process.cmdline()):
            return process, recorded["port"]
    except (OSError, ValueError, KeyError, TypeError, psutil.Error):
        pass
    return None


def status() -> Status:
    url = endpoint()
    document = health(url)
    found = _our_process()
    ours = found[0] if found and found[1] == port() else None
    return Status(
        running=document is not None,
        endpoint=url,
        embedded=ours is not None and document is not None,
        pid=ours.pid if ours else None,
        version=(document or {}).get("version"),
    )


def log_tail(lines: int = 40) -> str:
    try:
        text = paths.LOG_FILE.read_text(errors="replace")
    except OSError:
        return "(no log yet)"
    return "\n".join(text.splitlines()[-lines:])


def up(fresh: bool = False, timeout_s: float = START_TIMEOUT_S) -> Status:
    """Make sure a LocalStack answers; start the embedded one if none does.

    ``fresh=True`` restarts an embedded emulator so it starts from empty state (the tests use it).
    """
    current = status()
    if current.running and current.embedded and not fresh:
        return current
    if current.running and not current.embedded:
        if fresh:
            raise EmulatorError(
                f"{current.describe()}: the tests need the embedded LocalStack on that port. "
                "Stop the other one first (docker compose down)."
            )
        return current
    found = _our_process()
    if found and found[1] != port():
        raise EmulatorError(f"the embedded LocalStack already runs on port {found[1]}; stop it first (make down)")
    if found:
        down()
    check_port_free(port())
    emulator_env.ensure()
    return _start(timeout_s)


def check_port_free(port_number: int) -> None:
    """LocalStack prints "Ready." even when it could not bind its port; so look before starting."""
    if _port_in_use(port_number):
        raise EmulatorError(
            f"port {port_number} on {HOST} is in use by something that is not LocalStack"
            f"{_holder_of(port_number)}. Stop it, or choose another port with {PORT_SETTING}."
        )


def _start(timeout_s: float) -> Status:
    paths.TMP_DIR.mkdir(parents=True, exist_ok=True)
    for leftover in paths.TMP_DIR.iterdir():  # state is in memory; last run's unzipped code is garbage
        _remove(leftover)
    env = {**os.environ, **host_settings(port())}
    env.pop("AWS_ENDPOINT_URL", None)  # LocalStack's own clients must not be redirected
    with open(paths.LOG_FILE, "wb") as log:
        process = subprocess.Popen(
            [str(paths.venv_python(paths.EMULATOR_VENV)), "-m", "localstack.runtime.main"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=paths.EMULATOR_HOME,
            start_new_session=True,
        )
    paths.PID_FILE.write_text(json.dumps({"pid": process.pid, "port": port()}))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError(f"LocalStack exited with code {process.returncode} while starting:\n{log_tail()}")
        if health(endpoint(), timeout=1.0) is not None:
            return status()
        time.sleep(0.1)  # poll interval of a deadline-bounded wait
    down()
    raise EmulatorError(f"LocalStack was not healthy within {timeout_s:.0f} s:\n{log_tail()}")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def down(grace_s: float = STOP_GRACE_S) -> list[int]:
    """Stop the embedded LocalStack and every process under it; returns the pids that were stopped."""
    found = _our_process()
    if found is None:
        paths.PID_FILE.unlink(missing_ok=True)
        return []
    root = found[0]
    try:
        tree = [root, *root.children(recursive=True)]  # snapshot first: children outlive their parent
    except psutil.NoSuchProcess:
        tree = [root]
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(tree, timeout=grace_s)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    _, still_alive = psutil.wait_procs(alive, timeout=grace_s)
    if still_alive:
        raise EmulatorError(f"could not stop processes {[p.pid for p in still_alive]}")
    paths.PID_FILE.unlink(missing_ok=True)
    return [process.pid for process in tree]
