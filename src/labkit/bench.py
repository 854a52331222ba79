"""``python -m labkit bench``: the embedded emulator's speed, measured, not asserted.

It restarts the embedded LocalStack, then reports start-to-healthy, Lambda cold and warm invoke
latency, the latency of a no-op API call in the same run (the floor a warm invoke is measured
against) and the emulator's peak memory (LocalStack and every process under it).
"""

from __future__ import annotations

import time

import psutil

from labkit import clients, emulator, lambdas, targets

PREFIX = "bench-"
HANDLER = "def handler(event, context):\n    return event\n"


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _tree_memory(root_pid: int) -> int:
    """Memory of the emulator's whole process tree, as proportional set size (PSS): a page shared by
    the fork server's children counts once, split between them; RSS would count it in each child.
    Measured between phases, not sampled during them, so measuring does not slow what is measured."""
    root = psutil.Process(root_pid)
    return sum(_pss(p) for p in [root, *root.children(recursive=True)] if p.is_running())


def _pss(process: psutil.Process) -> int:
    try:
        return process.memory_full_info().pss
    except (psutil.AccessDenied, AttributeError):
        return process.memory_info().rss


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

    peak = _tree_memory(state.pid)  # every environment the bench starts is alive now

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

    peak = max(peak, _tree_memory(state.pid))
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
        ("peak memory (whole tree, PSS)", f"{peak / 2**20:.0f} MB", f"with {cold} Lambda environments alive"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>16}  {note}")
