"""labkit: the helpers the notebooks import.

It removes what is not the lesson — choosing the target, waiting, zipping, URLs that differ by
target, cleaning up — and never hides the AWS call a lesson is about: the cells call boto3 directly.
"""

from labkit import apis, cleanup, lambdas, naming, show, targets, waiting
from labkit.targets import Target, TargetNotRunning, connect

__all__ = [
    "Target",
    "TargetNotRunning",
    "apis",
    "cleanup",
    "connect",
    "lambdas",
    "naming",
    "show",
    "targets",
    "waiting",
]
