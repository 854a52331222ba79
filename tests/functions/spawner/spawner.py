"""Starts a child process that would outlive the handler, then waits past its timeout."""

import subprocess
import time


def handler(event, context):
    child = subprocess.Popen(["sleep", "60"])
    print(f"spawner: child {child.pid}")
    time.sleep(event.get("seconds", 10))
