"""`terraform test` in every folder that has tests (mock provider: offline, seconds), run by pytest so CI counts it.

Validation cases sit beside the module they test, each environment root keeps its value table,
and every test file loads the one mock provider in infrastructure/testing/aws.
"""

import os
import subprocess

import pytest

from conftest import REPO

pytestmark = pytest.mark.integration

INFRA = REPO / "infrastructure"
FOLDERS = sorted({path.parent.parent for path in INFRA.glob("**/tests/*.tftest.hcl") if ".terraform" not in path.parts})


def test_every_module_and_environment_has_terraform_tests():
    folders = {path.relative_to(INFRA).as_posix() for path in FOLDERS}
    expected = {"environments/development", "environments/production", "modules/environment", "modules/ecs-service", "modules/alarms"}
    assert expected <= folders, f"no terraform test files in {sorted(expected - folders)}"


def test_every_test_file_uses_the_shared_mock_provider():
    for folder in FOLDERS:
        for path in (folder / "tests").glob("*.tftest.hcl"):
            text = path.read_text()
            assert "mock_provider" not in text or 'source = "../../testing/aws"' in text, f"{path}: mock the provider from infrastructure/testing/aws"
            assert "mock_resource" not in text and "mock_data" not in text, f"{path}: mocks belong in infrastructure/testing/aws"


@pytest.mark.parametrize("folder", FOLDERS, ids=[path.relative_to(INFRA).as_posix() for path in FOLDERS])
def test_terraform_test_passes(folder, tmp_path):
    from tbctl.terraform import cliconfig

    os.environ["TBCTL_ROOT"] = str(REPO)
    env_vars = dict(os.environ, TF_DATA_DIR=str(tmp_path / "tfdata"), TF_CLI_CONFIG_FILE=str(cliconfig.ensure()),
                    CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
    init = subprocess.run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], cwd=folder,
                          env=env_vars, capture_output=True, text=True)
    assert init.returncode == 0, init.stdout + init.stderr
    done = subprocess.run(["terraform", "test", "-no-color"], cwd=folder, env=env_vars, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    assert " 0 failed" in done.stdout and " 0 passed" not in done.stdout, done.stdout[-2000:]
