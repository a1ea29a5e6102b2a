"""The config commands' bad-input cases on the real command line: non-zero, one line with the fix, no traceback."""

import os
import shutil
import subprocess

import pytest

from conftest import REPO, VENV

TBCTL = VENV / "bin" / "tbctl"


def tbctl(root, *args, env=None):
    run_env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TBCTL_CONFIG_BUCKET"}}
    run_env.update(TBCTL_ROOT=str(root), LOCAL_PORT="1", **(env or {}))  # port 1: any AWS call would fail loudly
    return subprocess.run([str(TBCTL), *args], capture_output=True, text=True, env=run_env, timeout=60)


@pytest.fixture
def root(tmp_path):
    shutil.copytree(REPO / "config", tmp_path / "config")
    return tmp_path


def assert_one_line_error(done, *words):
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and ". Fix: " in lines[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for word in words:
        assert word in lines[0]


def test_config_check_passes_on_the_shipped_documents(root):
    done = tbctl(root, "config-check")
    assert done.returncode == 0, done.stderr
    assert "8 documents valid" in done.stdout


@pytest.mark.parametrize("args", [("config-check",), ("config-check", "--env", "dev"), ("config-push", "--env", "dev")])
def test_an_invalid_document_is_one_line_naming_the_path_and_nothing_is_uploaded(root, args):
    path = root / "config" / "development" / "strategy-config.json"
    path.write_text(path.read_text().replace('"stop_loss_pct": 0.03', '"stop_loss_pct": 1.5', 1))
    done = tbctl(root, *args)
    assert_one_line_error(done, "development/strategy-config.json", "strategies[0].risk_limits.stop_loss_pct")
    assert "1.5 is greater than the maximum of 1" in done.stdout
    # config-push validates before it looks for a bucket: LOCAL_PORT=1 would have failed otherwise.
    assert "cannot reach" not in done.stderr and "emulator" not in done.stderr


def test_config_check_of_production_ignores_a_broken_development(root):
    (root / "config" / "development" / "risk-params.json").write_text("{")
    assert tbctl(root, "config-check", "--env", "prod").returncode == 0
    assert_one_line_error(tbctl(root, "config-check"), "risk-params.json", "not valid JSON")


@pytest.mark.parametrize("args, words", [
    (("config-sync", "--from", "dev", "--to", "prod"), ("config sync into production is refused", "config-push ENV=prod")),
    (("config-sync", "--from", "development", "--to", "production"), ("config sync into production is refused",)),
    (("config-sync", "--from", "dev", "--to", "dev"), ("to itself",)),
    (("config-sync", "--from", "dev", "--to", "staging"), ("unknown environment 'staging' in TO", "use TO= one of")),
    (("config-sync", "--from", "staging", "--to", "dev"), ("unknown environment 'staging' in FROM", "use FROM= one of")),
    (("config-sync", "--to", "dev"), ("no environment given in FROM", "pass FROM=<name>")),
    (("config-sync", "--from", "prod"), ("no environment given in TO", "pass TO=<name>")),
    (("config-pull", "--env", "dev", "--name", "risk"), ("unknown config document 'risk'",)),
    (("config-versions", "--env", "dev"), ("unknown config document ''",)),
    (("config-rollback", "--env", "dev", "--name", "risk-params", "--to", "latest"), ("'latest' is not a version number",)),
    (("config-push",), ("no environment given",)),
])
def test_bad_input_is_refused_before_any_aws_call(root, args, words):
    assert_one_line_error(tbctl(root, *args), *words)


def _pad(path, size: int) -> None:
    """The same document, padded with trailing spaces to exactly `size` bytes: valid JSON, only too big."""
    text = path.read_bytes().rstrip()
    path.write_bytes(text + b" " * (size - len(text)))


@pytest.mark.parametrize("args", [("config-check",), ("config-check", "--env", "dev"), ("config-push", "--env", "dev")])
def test_a_document_over_1_mb_is_refused_with_its_size_and_the_limit(root, args):
    path = root / "config" / "development" / "symbols-config.json"
    _pad(path, 1024 * 1024 + 1)
    done = tbctl(root, *args)
    assert_one_line_error(done, "development/symbols-config.json is 1,048,577 bytes", "limit of 1 MB (1,048,576 bytes) per document")
    assert "cannot reach" not in done.stderr  # refused before any AWS call


def test_a_document_of_exactly_1_mb_is_accepted(root):
    _pad(root / "config" / "development" / "symbols-config.json", 1024 * 1024)
    done = tbctl(root, "config-check", "--env", "dev")
    assert done.returncode == 0, done.stderr


def test_a_document_that_is_not_utf8_is_one_line(root):
    path = root / "config" / "development" / "risk-params.json"
    path.write_bytes(path.read_bytes().replace(b"{", "{\"caf\u00e9\": 1,".encode("latin-1"), 1))
    assert_one_line_error(tbctl(root, "config-check", "--env", "dev"), "risk-params.json is not UTF-8 text")
