"""`terraform test` for each environment (mock provider: offline, seconds), run by pytest so CI counts it."""

import os
import subprocess

import pytest

from conftest import REPO

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("env", ["development", "production"])
def test_terraform_test_passes(env, tmp_path):
    from tbctl.terraform import cliconfig

    os.environ["TBCTL_ROOT"] = str(REPO)
    root = REPO / "infrastructure" / "environments" / env
    if not list((root / "tests").glob("*.tftest.hcl")):
        pytest.fail(f"no terraform test files in {root / 'tests'}")
    env_vars = dict(os.environ, TF_DATA_DIR=str(tmp_path / "tfdata"), TF_CLI_CONFIG_FILE=str(cliconfig.ensure()),
                    CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
    init = subprocess.run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], cwd=root,
                          env=env_vars, capture_output=True, text=True)
    assert init.returncode == 0, init.stdout + init.stderr
    done = subprocess.run(["terraform", "test", "-no-color"], cwd=root, env=env_vars, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    assert " 0 failed" in done.stdout
