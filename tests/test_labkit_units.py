"""labkit's helpers on their own, without the emulator."""

from __future__ import annotations

import io
import zipfile

import pytest

from labkit import clients, emulator, lambdas, prereqs, targets
from labkit.waiting import wait_for


def test_zip_is_reproducible_and_leaves_out_caches(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "app.py").write_text("def handler(e, c):\n    return 1\n")
    (tmp_path / "pkg" / "util.py").write_text("X = 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"\x00")
    first = lambdas.zip_directory(tmp_path)
    (tmp_path / "app.py").touch()  # a newer mtime must not change the bytes
    assert lambdas.zip_directory(tmp_path) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["app.py", "pkg/util.py"]
        assert {info.date_time for info in archive.infolist()} == {lambdas.FIXED_TIMESTAMP}


def test_zip_of_a_missing_folder_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no handler folder"):
        lambdas.zip_directory(tmp_path / "nothing-here")


def test_wait_for_returns_the_value_or_names_what_did_not_happen():
    answers = iter([None, [], {"ready": True}])
    assert wait_for(lambda: next(answers), "the third answer", timeout=5, interval=0.01) == {"ready": True}
    with pytest.raises(TimeoutError, match="waited 0 s for the queue to drain; it did not happen"):
        wait_for(lambda: False, "the queue to drain", timeout=0.05, interval=0.01)


def test_a_wrong_python313_setting_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv(prereqs.PYTHON_SETTING, str(tmp_path / "python3.13"))
    with pytest.raises(prereqs.MissingPrerequisite, match=r"is not a working Python 3\.13"):
        prereqs.find_python313()


def test_missing_python313_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv(prereqs.PYTHON_SETTING, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setattr(prereqs, "_pyenv_pythons", lambda: [])
    monkeypatch.setattr(prereqs.Path, "exists", lambda self: False)
    with pytest.raises(prereqs.MissingPrerequisite, match=r"apt install python3\.13 python3\.13-venv"):
        prereqs.find_python313()


def test_missing_java_and_npm_name_the_debian_packages(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(prereqs.MissingPrerequisite, match="openjdk-17-jdk-headless"):
        prereqs.java_home()
    with pytest.raises(prereqs.MissingPrerequisite, match="apt install nodejs npm"):
        prereqs.npm()


def test_host_settings_keep_the_emulator_on_loopback_and_offline():
    settings = emulator.host_settings(4566)
    assert settings["GATEWAY_LISTEN"] == "127.0.0.1:4566"
    assert settings["OVERRIDE_IN_DOCKER"] == "0"
    assert settings["DNS_ADDRESS"] == "0" and settings["DISABLE_EVENTS"] == "1"
    assert settings["SQS_ENDPOINT_STRATEGY"] == "path"
    assert settings["LAMBDA_RUNTIME_EXECUTOR"] == "host"
    assert settings["FILESYSTEM_ROOT"].endswith("/.emulator/root")


def test_local_configuration_sets_the_sdk_variables_and_drops_real_credentials(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "my-real-account")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    for name in ("AWS_ENDPOINT_URL", *clients.LOCAL_ENVIRONMENT):
        monkeypatch.delenv(name, raising=False)
    clients.configure_local("http://127.0.0.1:4566")
    import os

    assert os.environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "test"
    assert "AWS_PROFILE" not in os.environ and "AWS_SESSION_TOKEN" not in os.environ


def test_nothing_answering_gives_the_command_that_fixes_it(monkeypatch):
    monkeypatch.delenv(targets.TARGET_SETTING, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # the discard port: nothing answers
    with pytest.raises(targets.TargetNotRunning, match=r"make up.*docker compose up -d"):
        targets.connect()


def test_real_aws_needs_the_endpoint_unset(monkeypatch):
    monkeypatch.setenv(targets.TARGET_SETTING, "aws")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    with pytest.raises(targets.TargetNotRunning, match="unset it to use real AWS"):
        targets.detect()
