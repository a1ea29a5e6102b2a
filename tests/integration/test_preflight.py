"""The preflight names every missing permission, against a loopback stand-in for STS and IAM."""

import os
import subprocess
import sys

import pytest

from conftest import REPO
from fakes.aws_iam import FakeIam

ROLE_SESSION = "arn:aws:sts::111122223333:assumed-role/deployer/ci-run-42"


def _preflight(fake: FakeIam, purpose: str = "deploy", **extra_env) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(TBCTL_ROOT=str(REPO), AWS_ENDPOINT_URL=fake.endpoint, AWS_ACCESS_KEY_ID="AKIDTEST",
               AWS_SECRET_ACCESS_KEY="secret", AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, TBCTL_MAX_ATTEMPTS="1")
    env.update(extra_env)
    return subprocess.run([sys.executable, "-m", "tbctl", "preflight", "--target", "aws", "--purpose", purpose],
                          env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def required():
    sys.path.insert(0, str(REPO / "scripts"))
    os.environ["TBCTL_ROOT"] = str(REPO)
    from tbctl import preflight

    return preflight.required_actions


def test_preflight_passes_when_every_action_is_allowed(required):
    fake = FakeIam(ROLE_SESSION, allowed=set(required("deploy")))
    try:
        done = _preflight(fake)
    finally:
        fake.close()
    assert done.returncode == 0, done.stderr
    # an assumed-role session is simulated as its role
    assert "arn:aws:iam::111122223333:role/deployer" in done.stdout
    simulated = [c for c in fake.calls if c.get("Action") == "SimulatePrincipalPolicy"]
    assert simulated and simulated[0]["PolicySourceArn"] == "arn:aws:iam::111122223333:role/deployer"


def test_preflight_names_every_missing_permission(required):
    needed = required("deploy")
    missing = {"ecs:UpdateService", "iam:PassRole"} & set(needed) or set(needed[:2])
    fake = FakeIam(ROLE_SESSION, allowed=set(needed) - missing)
    try:
        done = _preflight(fake)
    finally:
        fake.close()
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    for action in missing:
        assert action in lines[0]
    assert f"lacks {len(missing)} permission" in lines[0]


def test_plan_needs_fewer_permissions_than_deploy(required):
    assert set(required("plan")) < set(required("deploy"))


@pytest.mark.parametrize("setup, expected", [
    ({"error": "ExpiredToken"}, "the AWS credentials have expired"),
    ({"env": {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}}, "no AWS credentials found"),
])
def test_credential_problems_are_one_line(setup, expected):
    fake = FakeIam(ROLE_SESSION, error=setup.get("error"))
    try:
        done = _preflight(fake, **setup.get("env", {}))
    finally:
        fake.close()
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [done.stderr.strip()], done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr
