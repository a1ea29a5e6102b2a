"""Messages: a user's mistake is one line with its fix (never "unexpected"); another program's error text is shown whole."""

import argparse
import errno
import io
import os
import socket
import subprocess
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import botocore.exceptions
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, VENV
from tbctl import errors
from tbctl.cli import _report
from tbctl.errors import UserError, translate
from tbctl.terraform.workspace import first_error

TBCTL = VENV / "bin" / "tbctl"
FIXTURES = REPO / "tests" / "fixtures" / "plans"


def tbctl(*args, env=None, cwd=None):
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in {"ENV", "TARGET"}}
    # any request that got through would go to a closed loopback port, once
    run_env.update({"TBCTL_ROOT": str(REPO), "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
                    "TBCTL_MAX_ATTEMPTS": "1", **(env or {})})
    return subprocess.run([str(TBCTL), *args], capture_output=True, text=True, env=run_env, timeout=60, cwd=cwd)


def one_line(done) -> str:
    assert done.returncode != 0 and "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and ". Fix: " in lines[0], done.stderr
    assert "unexpected" not in lines[0], lines[0]
    return lines[0]


# -- the user's AWS configuration, through the real command line ---------------------------------------------

def test_a_mistyped_aws_profile_names_the_profiles_there_are(tmp_path):
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-east-1\n[profile trading]\nregion = us-east-1\n")
    line = one_line(tbctl("preflight", "--env", "dev", "--target", "aws",
                          env={"AWS_PROFILE": "tradng", "AWS_CONFIG_FILE": str(config)}))
    assert "the AWS profile 'tradng' is not in your AWS config files" in line
    assert "AWS_PROFILE to one of: default, trading" in line


@pytest.mark.parametrize("content, words", [
    ("[default\nregion = x\n", ["Unable to parse config file"]),
    ("[default]\ndefaults_mode = turbo\n", ["invalid defaults mode: turbo"]),
    ("[default]\nsts_regional_endpoints = sometimes\n", ["STS regional endpoints option sometimes is invalid"]),
    ("[default]\nec2_metadata_service_endpoint_mode = IPv5\n", ["IPv5"]),
    ("[default]\nrequest_checksum_calculation = sometimes\n", ["request_checksum_calculation"]),
    ("[default]\ncredential_process = /nonexistent/credential-helper\n", ["cannot run /nonexistent/credential-helper"]),
    ("[default]\nrole_arn = arn:aws:iam::111122223333:role/x\nsource_profile = nowhere\n", ["nowhere"]),
], ids=["syntax", "defaults mode", "sts endpoints", "metadata mode", "checksum", "credential process", "source profile"])
def test_a_broken_aws_config_file_is_the_users_to_fix(tmp_path, content, words):
    config = tmp_path / "config"
    config.write_text(content)
    line = one_line(tbctl("preflight", "--env", "dev", "--target", "aws",
                          env={"AWS_CONFIG_FILE": str(config), "AWS_SHARED_CREDENTIALS_FILE": os.devnull}))
    for word in words:
        assert word in line


def test_an_invalid_region_is_the_users_to_fix():
    line = one_line(tbctl("preflight", "--env", "dev", "--target", "aws",
                          env={"AWS_REGION": "us east 1", "AWS_CONFIG_FILE": os.devnull}))
    assert "us east 1" in line and "AWS_REGION" in line


def test_the_local_target_ignores_the_users_aws_settings(tmp_path, monkeypatch):
    """A mistyped profile or a broken config file matters only for TARGET=aws: the emulator needs neither."""
    from tbctl import target

    config = tmp_path / "config"
    config.write_text("[default\n")
    monkeypatch.setenv("AWS_PROFILE", "nope")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setattr(target, "_sessions", {})
    monkeypatch.setattr(target, "_clients", {})
    assert target.client(target.resolve("local"), "s3").meta.endpoint_url.startswith("http://127.0.0.1:")
    assert {"AWS_PROFILE": "", "AWS_CONFIG_FILE": os.devnull}.items() <= target.environ(target.resolve("local")).items()
    with pytest.raises(botocore.exceptions.ConfigParseError) as caught:  # TARGET=aws does read them
        target.client(target.resolve("aws"), "s3")
    assert "Fix:" in str(translate(caught.value))


@pytest.mark.parametrize("name", sorted(errors._AWS_CONFIG | errors._CREDENTIALS | errors._NETWORK))
def test_every_botocore_error_we_name_exists_and_reads_as_one_line_with_a_fix(name):
    cls = getattr(botocore.exceptions, name)  # a typo here would silently make it "unexpected"
    exc = cls.__new__(cls)
    Exception.__init__(exc, "first line\nsecond line")
    known = translate(exc)
    assert known and known.fix and "\n" not in str(known) and "second line" in str(known)


def test_botocore_errors_left_unexpected_are_ours_to_fix():
    """What botocore raises for a wrong call of ours (a bad parameter, an unknown operation) stays "unexpected"."""
    user = errors._AWS_CONFIG | errors._CREDENTIALS | errors._NETWORK | {
        "ProfileNotFound", "NoCredentialsError", "PartialCredentialsError", "TokenRetrievalError", "SSOTokenLoadError",
        "UnauthorizedSSOTokenError", "ClientError"}
    for name in ("ParamValidationError", "UnknownParameterError", "UnknownServiceError", "OperationNotPageableError",
                 "UnknownClientMethodError", "ValidationError"):
        assert name not in user
        cls = getattr(botocore.exceptions, name)
        exc = cls.__new__(cls)
        Exception.__init__(exc, "x")
        assert translate(exc) is None


# -- this machine's files and disk -------------------------------------------------------------------------------

def _raised(action) -> OSError:
    with pytest.raises(OSError) as caught:
        action()
    return caught.value


def test_a_full_disk_is_named_with_the_path():
    exc = _raised(lambda: Path("/dev/full").write_text("x" * 100000))
    assert exc.errno == errno.ENOSPC
    assert "the disk is full" in str(translate(exc)) and "make clean" in str(translate(exc))


def test_a_file_where_a_folder_must_be(tmp_path):
    (tmp_path / "build").write_text("notes")
    for action in (lambda: (tmp_path / "build").mkdir(), lambda: (tmp_path / "build" / "local").mkdir(parents=True)):
        known = translate(_raised(action))
        assert "a file stands where a folder must be" in str(known) and "build" in str(known)


def test_a_program_that_cannot_run_is_named(tmp_path):
    script = tmp_path / "helper"
    script.write_text("#!/bin/sh\n")  # not executable: refused even to root
    for program in (script, tmp_path / "absent"):
        known = translate(_raised(lambda: subprocess.run([str(program)])))
        assert f"cannot run {program}" in str(known) and "Fix:" in str(known)


def test_a_missing_file_of_ours_stays_unexpected(tmp_path):
    """A file we expected and did not find is our bug, not the user's."""
    assert translate(_raised(lambda: (tmp_path / "absent.json").read_text())) is None


@pytest.mark.parametrize("setup, words", [
    (lambda root: (root / "build").write_text("my notes"), ["build is a file", "move or delete the file build"]),
    (lambda root: (root / "build").mkdir() or (root / "build" / "local").write_text("x"),
     ["build/local is a file", "move or delete the file build/local"]),
], ids=["build", "build/local"])
def test_a_file_instead_of_the_build_folder_is_one_line(tmp_path, setup, words):
    root = tmp_path / "repo"
    (root / "infrastructure" / "environments").mkdir(parents=True)
    setup(root)
    with socket.socket() as silent:  # a port nothing answers on: no emulator may start even if the check failed
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        done = tbctl("local-up", env={"TBCTL_ROOT": str(root), "LOCAL_PORT": str(silent.getsockname()[1])})
    line = one_line(done)
    for word in words:
        assert word in line


@pytest.fixture
def immutable(tmp_path):
    """Folders made unwritable even for root (chattr +i), made writable again afterwards."""
    made = []

    def make_immutable(folder: Path) -> None:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here")
        made.append(folder)
    yield make_immutable
    for folder in made:
        subprocess.run(["chattr", "-i", str(folder)])


@pytest.mark.parametrize("locked, words", [
    ("build", ["cannot create build/local: build is not writable", "chmod u+w build"]),
    ("build/local", ["cannot write (build/local/emulator-", "operation not permitted"]),
])
def test_an_unwritable_build_folder_is_one_line_naming_it(tmp_path, immutable, locked, words):
    root = tmp_path / "repo"
    (root / "infrastructure" / "environments").mkdir(parents=True)
    (root / locked).mkdir(parents=True)
    immutable(root / locked)
    with socket.socket() as probe:  # a free port: local-up gets as far as writing its pid and log files
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = one_line(tbctl("local-up", env={"TBCTL_ROOT": str(root), "LOCAL_PORT": str(port)}))
    for word in words:
        assert word in line


# -- one line, and another program's text whole --------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(problem=st.text(min_size=1), fix=st.text(min_size=1), details=st.text(), as_json=st.booleans())
def test_an_error_is_one_line_on_stderr_whatever_its_text(problem, fix, details, as_json):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        _report(UserError(problem, fix, details=details), argparse.Namespace(json=as_json))
    out, err = out.getvalue(), err.getvalue()
    shown = details.rstrip("\n") + "\n" if details.strip() else ""  # whole, never cut at its first line
    if as_json:
        assert out == "" and err.startswith(shown)  # stdout stays JSON-only
        ours = err[len(shown):]
    else:
        assert out == shown
        ours = err
    assert ours.startswith("error: ") and ours.endswith("\n")
    assert not any(ch in ours[:-1] for ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"), repr(ours)


SENTENCES = st.lists(st.from_regex(r"[A-Z][a-z]{1,9}( [a-z0-9_\"]{1,12}){2,14}\.", fullmatch=True), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(summary=st.from_regex(r"[A-Z][a-z]+( [a-z]+){0,5}", fullmatch=True), sentences=SENTENCES,
       width=st.integers(min_value=20, max_value=120), boxed=st.booleans())
def test_the_first_sentence_of_terraforms_detail_does_not_depend_on_its_line_width(summary, sentences, width, boxed):
    """terraform wraps the detail at its own width; our line never ends where terraform broke the line."""
    detail = textwrap.fill(" ".join(sentences), width=width)
    text = f"\nError: {summary}\n\n  on main.tf line 3, in resource \"x\" \"y\":\n   3:   a = b\n\n{detail}\n"
    if boxed:
        text = "\n".join("│ " + line for line in text.splitlines())
    assert first_error(text) == f"{summary} (main.tf line 3): {sentences[0].rstrip('.')}"


def test_a_wrapped_terraform_error_is_read_whole():
    """Real terraform output, wrapped after "in the": the line says the whole sentence."""
    text = (FIXTURES / "failed.error").read_text()
    assert first_error(text) == ('Reference to undeclared resource (main.tf line 5): A managed resource '
                                 '"aws_ssm_parameter" "missing" has not been declared in the root module')
    lineage = ("\nError: Saved plan does not match the given state\n\nThe given plan file can not be applied because "
               "it was created from a\ndifferent state lineage.\n")
    assert first_error(lineage).endswith("because it was created from a different state lineage")
