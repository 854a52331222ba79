"""The emulator's environments hold what the constraints file pins, and LocalStack's runtime imports."""

from __future__ import annotations

import json
import subprocess

import pytest

from labkit import emulator_env, offline_packages, paths


@pytest.fixture(scope="module")
def ready() -> None:
    emulator_env.ensure()


def _run(venv, code: str) -> str:
    return subprocess.run([str(paths.venv_python(venv)), "-c", code], capture_output=True, text=True, check=True).stdout


def test_localstack_runtime_imports_with_the_pinned_set(ready):
    code = (
        "import json, importlib.metadata as m\n"
        "import service_identity, OpenSSL, localstack.runtime.runtime, twisted.internet.ssl\n"
        "import localstack.services.lambda_.invocation.runtime_executor, hostlambda.executor\n"
        "plugins = [e.value for e in m.entry_points(group='localstack.lambda.runtime_executor')]\n"
        "names = ('localstack-core', 'cryptography', 'pyOpenSSL', 'cbor2', 'service-identity')\n"
        "print(json.dumps({'plugins': plugins, **{n: m.version(n) for n in names}}))\n"
    )
    found = json.loads(_run(paths.EMULATOR_VENV, code))
    pins = dict(
        line.split("#")[0].strip().split("==")
        for line in paths.CONSTRAINTS.read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert "hostlambda.plugin:HostRuntimeExecutorPlugin" in found.pop("plugins")
    assert found == {name: pins[name] for name in found}
    assert int(found["cryptography"].split(".")[0]) < 47 and int(found["cbor2"].split(".")[0]) < 6


def test_the_lambda_runtime_has_awslambdaric_and_boto3_but_nothing_of_localstack(ready):
    code = (
        "import importlib.util as u, json\n"
        "print(json.dumps({n: u.find_spec(n) is not None for n in ('awslambdaric', 'boto3', 'localstack', 'twisted')}))"
    )
    assert json.loads(_run(paths.LAMBDA_VENV, code)) == {
        "awslambdaric": True,
        "boto3": True,
        "localstack": False,
        "twisted": False,
    }


def test_what_localstack_would_download_is_already_in_place(ready):
    assert offline_packages.missing() == []
