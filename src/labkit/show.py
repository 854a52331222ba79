"""Printing AWS answers the way a lesson wants them: the fields that matter, never the noise."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

NOISE = ("ResponseMetadata",)


def without_metadata(response: dict[str, Any], keys: Iterable[str] | None = None) -> dict[str, Any]:
    """The response without ``ResponseMetadata`` (request ids, HTTP headers, retry counts);
    only ``keys``, when given, in that order."""
    wanted = list(keys) if keys is not None else [k for k in response if k not in NOISE]
    return {key: response[key] for key in wanted if key in response}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def show(response: dict[str, Any], keys: Iterable[str] | None = None) -> None:
    """Print a boto3 response as indented JSON, without ``ResponseMetadata``."""
    print(json.dumps(without_metadata(response, keys), indent=2, default=_plain, ensure_ascii=False))


def source(path: str | Path):
    """A source file, syntax-highlighted in Jupyter (and plain text everywhere else)."""
    from IPython.display import Code

    return Code(filename=str(path), language="python")
