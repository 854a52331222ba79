"""Which AWS the notebooks talk to, chosen in this order:

1. **real AWS** — only when ``LABKIT_TARGET=aws`` is set; nothing else ever selects it.
2. **a LocalStack that already answers** at ``AWS_ENDPOINT_URL`` (default ``http://127.0.0.1:4566``):
   LocalStack in Docker (``docker compose up -d``), or the embedded one started earlier.
3. **the embedded LocalStack**, started on the spot, when nothing answers at the default address.

:func:`connect` makes the choice, sets the process up for plain boto3 and tells the learner in
one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from labkit import clients, emulator

TARGET_SETTING = "LABKIT_TARGET"


class TargetNotRunning(RuntimeError):
    """Nothing answers where the notebooks were told to look; the message says how to start it."""


@dataclass(frozen=True)
class Target:
    kind: str  # "embedded" | "docker" | "aws"
    endpoint_url: str | None  # None on real AWS: the SDK's own endpoints
    region: str
    account: str

    @property
    def is_local(self) -> bool:
        return self.kind != "aws"

    @property
    def patience(self) -> float:
        """How much longer than on the embedded emulator things take here (waiter budgets)."""
        return {"embedded": 1.0, "docker": 4.0, "aws": 6.0}[self.kind]

    def describe(self) -> str:
        names = {"embedded": "embedded LocalStack", "docker": "LocalStack in Docker", "aws": "real AWS"}
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"{names[self.kind]}{where} · region {self.region} · account {self.account}"


def _real_aws() -> Target:
    if os.environ.get("AWS_ENDPOINT_URL"):
        raise TargetNotRunning(f"{TARGET_SETTING}=aws, but AWS_ENDPOINT_URL is set; unset it to use real AWS")
    import boto3

    identity = boto3.client("sts").get_caller_identity()
    region = boto3.session.Session().region_name or clients.REGION
    return Target("aws", None, region, identity["Account"])


def local_endpoint() -> str:
    return os.environ.get("AWS_ENDPOINT_URL") or emulator.endpoint()


def require_running(url: str) -> None:
    """Raise :class:`TargetNotRunning`, with the command that fixes it, when no LocalStack answers."""
    if emulator.health(url) is None:
        raise TargetNotRunning(
            f"No LocalStack answers at {url}. Start one: `make up` (embedded, no Docker) "
            "or `docker compose up -d` (Docker)."
        )


def detect(start: bool = True) -> Target:
    """Find the target (see the module's docstring); start the embedded emulator if allowed."""
    if os.environ.get(TARGET_SETTING, "").lower() == "aws":
        return _real_aws()
    url = local_endpoint()
    if emulator.health(url) is None:
        if start and url == emulator.endpoint():
            emulator.up()
            return Target("embedded", url, clients.REGION, clients.ACCOUNT)
        require_running(url)  # raises, saying how to start one
    # labkit knows the emulator it started; any other LocalStack is, as documented, the Docker one
    embedded = url == emulator.endpoint() and emulator.status().embedded
    return Target("embedded" if embedded else "docker", url, clients.REGION, clients.ACCOUNT)


def connect(start: bool = True, quiet: bool = False) -> Target:
    """Choose the target, configure boto3 for it, and say which it is."""
    target = detect(start=start)
    if target.is_local:
        clients.configure_local(target.endpoint_url)
    if not quiet:
        print(f"Target: {target.describe()}")
    return target
