"""``python -m labkit bench``: the embedded emulator's speed, measured, not asserted.

It restarts the embedded LocalStack, then reports start-to-healthy, Lambda cold and warm invoke
latency, the latency of a no-op API call in the same run (the floor a warm invoke is measured
against) and the emulator's peak memory (LocalStack and every process under it).
"""

from __future__ import annotations

import statistics
import threading
import time

import psutil

from labkit import clients, emulator, lambdas, targets

PREFIX = "bench-"
HANDLER = "def handler(event, context):\n    return event\n"


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class _PeakMemory:
    """Samples the resident memory of the emulator's whole process tree."""

    def __init__(self, root_pid: int) -> None:
        self.root = psutil.Process(root_pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _code() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", HANDLER)
    return buffer.getvalue()


def main(cold: int = 20, warm: int = 300) -> None:
    emulator.down()
    started = time.perf_counter()
    state = emulator.up()
    healthy_s = time.perf_counter() - started
    memory = _PeakMemory(state.pid)
    targets.connect(quiet=True)
    lam, sqs = clients.client("lambda"), clients.client("sqs")
    code = _code()
    role = f"arn:aws:iam::{clients.ACCOUNT}:role/{PREFIX}role"

    cold_ms = []
    for i in range(cold):
        lambdas.deploy_function(f"{PREFIX}cold-{i}", code, "handler.handler", role)
        begin = time.perf_counter()
        lam.invoke(FunctionName=f"{PREFIX}cold-{i}", Payload=b"{}")
        cold_ms.append((time.perf_counter() - begin) * 1000)

    warm_ms = []
    for _ in range(warm):
        begin = time.perf_counter()
        lam.invoke(FunctionName=f"{PREFIX}cold-0", Payload=b"{}")
        warm_ms.append((time.perf_counter() - begin) * 1000)

    queue_url = sqs.create_queue(QueueName=f"{PREFIX}noop")["QueueUrl"]
    noop_ms = []
    for _ in range(warm):
        begin = time.perf_counter()
        sqs.get_queue_attributes(QueueUrl=queue_url)
        noop_ms.append((time.perf_counter() - begin) * 1000)

    peak = memory.stop()
    for i in range(cold):
        lam.delete_function(FunctionName=f"{PREFIX}cold-{i}")
    sqs.delete_queue(QueueUrl=queue_url)

    rows = [
        ("start to healthy", f"{healthy_s:.2f} s", "target ≤ 3 s"),
        (
            f"cold invoke p50 / p95 (n={cold})",
            f"{_percentile(cold_ms, 0.5):.1f} / {_percentile(cold_ms, 0.95):.1f} ms",
            "target ≤ 300 ms",
        ),
        (
            f"warm invoke p50 / p95 (n={warm})",
            f"{_percentile(warm_ms, 0.5):.2f} / {_percentile(warm_ms, 0.95):.2f} ms",
            "target p50 ≤ 10 ms",
        ),
        (f"no-op API call p50 (n={warm})", f"{_percentile(noop_ms, 0.5):.2f} ms", "SQS GetQueueAttributes"),
        ("warm p50 / no-op p50", f"{_percentile(warm_ms, 0.5) / _percentile(noop_ms, 0.5):.1f}×", "target ≤ 3×"),
        ("peak memory (whole tree)", f"{peak / 2**20:.0f} MB", f"mean warm {statistics.mean(warm_ms):.2f} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>16}  {note}")
