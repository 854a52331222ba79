"""The pipe that carries one runtime's stdout and stderr back to the bridge.

Lambda's logs are whatever the runtime writes to its standard streams, cut per invocation. The
runtime writes its output *before* it posts the result over HTTP, so when the result arrives every
byte of that invocation is already in the pipe; :meth:`LogPipe.drain` picks them all up. A reader
thread keeps the pipe empty in between, so a chatty handler never blocks on a full pipe.
"""

from __future__ import annotations

import os
import select
import threading
from collections import deque


class LogPipe:
    def __init__(self, tail_bytes: int = 64 * 1024) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        self._buffer = bytearray()
        self._tail: deque[bytes] = deque()
        self._tail_bytes = tail_bytes
        self._tail_size = 0
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._pump, daemon=True, name="hostlambda-logs")
        self._thread.start()

    def release_writer(self) -> None:
        """Close our copy of the write end once the runtime holds its own, so EOF means it ended."""
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1

    def _pump(self) -> None:
        poller = select.poll()
        poller.register(self.read_fd, select.POLLIN | select.POLLHUP)
        while not self._closed.is_set():
            poller.poll(1000)
            with self._lock:
                self._read_available()

    def _read_available(self) -> None:
        while not self._closed.is_set():
            try:
                chunk = os.read(self.read_fd, 65536)
            except BlockingIOError:
                return
            if not chunk:
                self._closed.set()
                return
            self._buffer += chunk
            self._remember(chunk)

    def _remember(self, chunk: bytes) -> None:
        self._tail.append(chunk)
        self._tail_size += len(chunk)
        while self._tail_size > self._tail_bytes and len(self._tail) > 1:
            self._tail_size -= len(self._tail.popleft())

    def drain(self) -> str:
        """Everything written since the last drain."""
        with self._lock:
            if not self._closed.is_set():
                self._read_available()
            data = bytes(self._buffer)
            self._buffer.clear()
        return data.decode("utf-8", errors="replace")

    def wait_closed(self, timeout: float) -> bool:
        """Wait until every writer has gone (the runtime and anything it started)."""
        return self._closed.wait(timeout)

    def tail(self) -> str:
        """The last output of this runtime (what it wrote so far included), for diagnostics."""
        with self._lock:
            if not self._closed.is_set():
                self._read_available()
            return b"".join(self._tail).decode("utf-8", errors="replace")

    def close(self) -> None:
        self.release_writer()
        self._closed.set()
        self._thread.join(timeout=2)
        with self._lock:
            if self.read_fd >= 0:
                os.close(self.read_fd)
                self.read_fd = -1
