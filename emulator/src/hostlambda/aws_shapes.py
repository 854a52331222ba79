"""The words AWS Lambda uses for what goes wrong outside the handler, and its log framing.

Errors *inside* the handler (exceptions, import errors, unserialisable results) are shaped by
awslambdaric itself. What the runtime cannot report — a timeout, a runtime that died, a result too
large to return — is reported by the platform, and these are its shapes, as AWS returns them.
"""

from __future__ import annotations

import json
import math
import signal
import time

MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100  # AWS quotes 6291556 bytes for the response
MAX_REQUEST_BYTES = 6 * 1024 * 1024  # and 6291456 bytes for a synchronous request


def error_body(error_type: str, message: str) -> bytes:
    return json.dumps({"errorMessage": message, "errorType": error_type}).encode()


def timeout_error(request_id: str, timeout_s: float) -> bytes:
    return error_body(
        "Sandbox.Timedout", f"RequestId: {request_id} Error: Task timed out after {timeout_s:.2f} seconds"
    )


def timeout_log_line(request_id: str, timeout_s: float) -> str:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    return f"{stamp}Z {request_id} Task timed out after {timeout_s:.2f} seconds\n"


def exit_reason(exit_code: int) -> str:
    """What the Lambda platform says about a runtime process that ended (Go's wording)."""
    if exit_code == 0:
        return "Runtime exited without providing a reason"
    if exit_code < 0:
        name = signal.strsignal(-exit_code) or f"signal {-exit_code}"
        return f"Runtime exited with error: signal: {name[0].lower()}{name[1:]}"
    return f"Runtime exited with error: exit status {exit_code}"


def exit_error(request_id: str, exit_code: int) -> bytes:
    """The error of a runtime that ended; during init there is no request id yet."""
    prefix = f"RequestId: {request_id} " if request_id else ""
    return error_body("Runtime.ExitError", f"{prefix}Error: {exit_reason(exit_code)}")


def exit_log_lines(request_id: str, exit_code: int) -> str:
    return f"RequestId: {request_id} Error: {exit_reason(exit_code)}\nRuntime.ExitError\n"


def response_too_large_error() -> bytes:
    return error_body(
        "Function.ResponseSizeTooLarge",
        f"Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).",
    )


def request_too_large_message() -> str:
    return f"Request must be smaller than {MAX_REQUEST_BYTES} bytes for the InvokeFunction operation"


def start_line(request_id: str, version: str) -> str:
    return f"START RequestId: {request_id} Version: {version}\n"


def end_lines(
    request_id: str,
    duration_ms: float,
    memory_mb: str,
    max_memory_used_mb: int | None,
    init_duration_ms: float | None = None,
    status: str | None = None,
) -> str:
    used = max_memory_used_mb if max_memory_used_mb is not None else memory_mb
    report = (
        f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\t"
        f"Billed Duration: {math.ceil(duration_ms)} ms\tMemory Size: {memory_mb} MB\t"
        f"Max Memory Used: {used} MB\t"
    )
    if init_duration_ms is not None:
        report += f"Init Duration: {init_duration_ms:.2f} ms\t"
    if status:
        report += f"Status: {status}"
    return f"END RequestId: {request_id}\n{report}\n"
