"""A fork server that starts Lambda execution environments in milliseconds.

A fresh interpreter that imports boto3 and AWS's Runtime Interface Client takes about a quarter of a
second. The zygote pays that once: it runs in the Lambda runtime's interpreter, imports what every
Python handler needs, and then forks one child per execution environment. Each child sets up the
function's environment variables, working directory and ``sys.path`` and hands over to
``awslambdaric``, AWS's own runtime loop, which then talks to the bridge over the Runtime API.

The protocol is one Unix-socket connection per environment:

* client -> zygote: one JSON line ``{"env": {...}, "handler": "...", "cwd": "...", "path": [...]}``
  with the environment's log pipe attached (SCM_RIGHTS); the child writes stdout and stderr there.
* zygote -> client: ``pid <n>`` once forked, then ``exit <code>`` when the child ends (a negative code
  is the signal that ended it, as in ``subprocess``).
* closing the connection kills the environment.

Only the standard library is imported at module level, so the LocalStack side can use
:class:`ZygoteClient` without the runtime's packages, and the server side preloads them itself.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

# What the children inherit already imported. awslambdaric's native ``runtime_client`` must NOT be
# among them: it reads AWS_LAMBDA_RUNTIME_API once, when its shared library loads, and each
# environment has its own Runtime API address.
PRELOAD = (
    "boto3",
    "botocore.client",
    "botocore.session",
    "botocore.credentials",
    "botocore.endpoint",
    "botocore.parsers",
    "botocore.serialize",
    "simplejson",
    "awslambdaric.lambda_config",
    "awslambdaric.lambda_context",
    "awslambdaric.lambda_runtime_log_utils",
    "awslambdaric.lambda_runtime_marshaller",
    "http.client",
    "concurrent.futures.thread",
)

# Packages a function may bundle in its own zip; AWS then imports the bundled copy, not the runtime's.
BUNDLEABLE = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3")

MAX_REQUEST = 1 << 20


def _preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    # Warm the loader caches every boto3 client needs (endpoints, partitions, defaults), so a
    # handler's first boto3.client() call does not pay for them.
    import boto3

    session = boto3.session.Session(region_name="us-east-1")
    session.client("sts", aws_access_key_id="x", aws_secret_access_key="x")


def _exec_runtime(request: dict, base_path: list[str]) -> int:
    """Turn this forked child into the function's runtime; returns the exit code."""
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.path[:] = [*request["path"], *base_path]
    bundled = {name for name in BUNDLEABLE for root in request["path"] if (Path(root) / name).is_dir()}
    for module in list(sys.modules):
        if module.split(".")[0] in bundled:
            del sys.modules[module]

    from awslambdaric.__main__ import main as awslambdaric_main

    try:
        awslambdaric_main(["awslambdaric", request["handler"]])
    except SystemExit as stop:  # a handler's sys.exit(), or awslambdaric after an init error
        code = stop.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0


def _child(request: dict, log_fd: int, inherited: list[int], base_path: list[str]) -> None:
    """Runs in the forked child; never returns."""
    code = 1
    try:
        os.setpgid(0, 0)  # its own group, so a timeout also stops what the handler started
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        for fd in inherited:
            os.close(fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.close(devnull)
        os.close(log_fd)
        code = _exec_runtime(request, base_path)
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return to the loop
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code & 0xFF if code >= 0 else 1)


def _read_request(conn: socket.socket) -> tuple[dict, int]:
    data, fds, _flags, _addr = socket.recv_fds(conn, MAX_REQUEST, 1)
    while not data.endswith(b"\n"):
        more = conn.recv(MAX_REQUEST)
        if not more:
            raise ConnectionError("client closed the connection mid-request")
        data += more
    if len(fds) != 1:
        raise ValueError("a spawn request must carry exactly one log descriptor")
    return json.loads(data), fds[0]


def serve(socket_path: str) -> None:
    """The zygote's loop: accept spawn requests, fork, report exits; ends when stdin closes."""
    _preload()
    base_path = [p for p in sys.path if p and Path(p).resolve() != Path(__file__).parent.resolve()]

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)

    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_r, selectors.EVENT_READ, "reap")
    selector.register(sys.stdin, selectors.EVENT_READ, "parent")
    children: dict[int, socket.socket] = {}
    print("zygote ready", flush=True)

    while True:
        for key, _ in selector.select():
            tag = key.data
            if tag == "accept":
                conn, _ = listener.accept()
                selector.register(conn, selectors.EVENT_READ, "request")
            elif tag == "request":
                conn = key.fileobj
                selector.unregister(conn)
                try:
                    request, log_fd = _read_request(conn)
                except (OSError, ValueError) as problem:
                    print(f"zygote: bad spawn request: {problem}", file=sys.stderr, flush=True)
                    conn.close()
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                inherited = [listener.fileno(), wake_r, wake_w, conn.fileno()]
                inherited += [c.fileno() for c in children.values()]
                pid = os.fork()
                if pid == 0:
                    _child(request, log_fd, inherited, base_path)
                os.close(log_fd)
                children[pid] = conn
                conn.sendall(f"pid {pid}\n".encode())
                selector.register(conn, selectors.EVENT_READ, ("watch", pid))
            elif tag == "reap":
                os.read(wake_r, 4096)
                _reap(children, selector)
            elif tag == "parent":
                if not sys.stdin.buffer.read1(4096):
                    for pid in children:
                        _kill_group(pid)
                    return
            else:  # ("watch", pid): the client hung up, so the environment goes
                conn = key.fileobj
                if not conn.recv(64):
                    selector.unregister(conn)
                    _kill_group(tag[1])


def _reap(children: dict[int, socket.socket], selector: selectors.BaseSelector) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is None:
            continue
        with contextlib.suppress(KeyError, ValueError):
            selector.unregister(conn)
        with contextlib.suppress(OSError):
            conn.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
        conn.close()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# --- the client side, used by the executor inside LocalStack ---------------------------------------


@dataclass
class RuntimeProcess:
    """One forked runtime: its pid, and the connection that reports its exit."""

    pid: int
    conn: socket.socket

    def wait(self) -> int:
        """Block until the runtime ends; returns its exit code (negative: the signal)."""
        reader = self.conn.makefile("rb")
        try:
            line = reader.readline()
        except OSError:
            line = b""
        finally:
            reader.close()
        words = line.split()
        if len(words) == 2 and words[0] == b"exit":
            return int(words[1])
        # The zygote died without reporting: make sure the runtime is gone too, or it would go on
        # asking the bridge for work beside the runtime that replaces it.
        self.kill()
        return -signal.SIGKILL

    def kill(self) -> None:
        """Stop the runtime and everything it started, now."""
        _kill_group(self.pid)

    def close(self) -> None:
        self.kill()
        with contextlib.suppress(OSError):
            self.conn.close()


class ZygoteClient:
    """Starts the zygote with the runtime's interpreter and asks it for runtimes."""

    def __init__(self, python: str, workdir: Path, start_timeout: float = 30.0) -> None:
        self.socket_path = str(workdir / "zygote.sock")
        self._lock = threading.Lock()
        self._process = subprocess.Popen(
            [python, "-I", "-u", __file__, self.socket_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=workdir,
        )
        ready = _readline_with_deadline(self._process, start_timeout)
        if ready != b"zygote ready\n":
            self._process.kill()
            raise RuntimeError(
                f"the Lambda runtime's fork server did not start with {python} "
                f"(exit code {self._process.poll()}); is awslambdaric installed there?"
            )
        threading.Thread(target=self._forward_output, daemon=True, name="zygote-output").start()

    def _forward_output(self) -> None:
        for line in self._process.stdout:
            sys.stderr.write(f"[hostlambda zygote] {line.decode(errors='replace')}")

    def alive(self) -> bool:
        return self._process.poll() is None

    def spawn(self, env: dict[str, str], handler: str, cwd: str, path: list[str], log_fd: int) -> RuntimeProcess:
        """Fork a runtime whose stdout and stderr go to ``log_fd``."""
        request = json.dumps({"env": env, "handler": handler, "cwd": cwd, "path": path}).encode()
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(self.socket_path)
        socket.send_fds(conn, [request + b"\n"], [log_fd])
        line = b""
        while not line.endswith(b"\n"):
            chunk = conn.recv(1)
            if not chunk:
                conn.close()
                raise RuntimeError("the Lambda runtime's fork server closed the connection")
            line += chunk
        return RuntimeProcess(pid=int(line.split()[1]), conn=conn)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()  # the zygote kills its children and exits
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()


def _readline_with_deadline(process: subprocess.Popen, timeout: float) -> bytes:
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0] if result else b""


if __name__ == "__main__":
    serve(sys.argv[1])
