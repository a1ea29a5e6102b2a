"""What the README says about the repository itself: make's targets and defaults, the layout, the CI
workflow, the provider mirror, the checkov skips. Cheap checks with no AWS; tests/test_readme_claims.py
maps each README sentence to the test that exercises it.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
MAKE_VARIABLES = {"ENV", "TARGET", "TAG", "IMAGE_TAG", "TO", "FROM", "KEEP", "TIMEOUT", "DRY_RUN", "CONFIRM", "LOCK_ID", "PYTEST_ARGS",
                  "PR", "PLAN_JSON", "NAME", "LOCAL_PORT", "MAKEFLAGS", "MAKELEVEL", "VENV"}


def run_make(*args: str, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess:
    """`make` as a user types it: none of the caller's make variables leak in."""
    clean = {k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


def section(title: str) -> str:
    """The README's text under `title` up to the next heading of the same or a higher level."""
    level = "#" * (len(title) - len(title.lstrip("#")))
    start = README.index(title + "\n")
    after = README[start + len(title):]
    following = re.search(rf"^#{{1,{len(level)}}} ", after, re.M)
    return after[: following.start()] if following else after


def table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


# -- make --------------------------------------------------------------------------------------------------------


def _makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text()
    return {name for name in re.findall(r"^([a-z][a-z0-9-]*):(?!=)", text, re.M)}


def test_make_help_lists_every_target():
    done = run_make("help")
    assert done.returncode == 0, done.stderr
    listed = set(re.findall(r"^  ([a-z][a-z0-9-]*) ", done.stdout, re.M))
    assert _makefile_targets() - listed == set(), "targets make help does not list"
    assert listed - _makefile_targets() == set(), "make help lists targets the Makefile does not have"


def test_the_emulator_port_is_4599_unless_local_port_is_set():
    show = ["--eval", "show-port: ; @echo $(LOCAL_PORT)", "show-port"]
    assert run_make(*show).stdout.strip() == "4599"
    assert run_make(*show, LOCAL_PORT="4711").stdout.strip() == "4711"
    code = "from tbctl.target import resolve; print(resolve('local').endpoint)"
    env = {k: v for k, v in os.environ.items() if k not in {"LOCAL_PORT", "TBCTL_LOCAL_PORT", "TARGET"}}
    done = subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(REPO / "scripts")},
                          capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "http://127.0.0.1:4599", done.stderr


def test_the_first_command_creates_the_virtualenv_then_runs_tbctl(repo):
    """In a fresh clone (no .venv yet)."""
    done = run_make("-n", "deploy", "ENV=dev", cwd=repo)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    venv = next(i for i, line in enumerate(lines) if "-m venv .venv" in line)
    deploy = next(i for i, line in enumerate(lines) if re.search(r"\.venv/bin/tbctl deploy --env \"dev\"", line))
    assert venv < deploy


def test_make_test_runs_every_test_and_test_unit_only_the_fast_ones():
    everything = run_make("-n", "test", VENV=sys.prefix).stdout
    assert re.search(r"bin/pytest -q\s*$", everything, re.M), everything
    unit = run_make("-n", "test-unit", VENV=sys.prefix).stdout
    assert 'bin/pytest -q -m "not integration"' in unit
    assert (REPO / "tests" / "integration" / "test_terraform_test.py").exists(), "terraform test runs under pytest"


@pytest.mark.parametrize("args, expected", [
    (["prune", "ENV=dev"], '--keep "10"'),
    (["prune", "ENV=dev", "KEEP=3"], '--keep "3"'),
    (["rollback", "ENV=dev", "TO=v1.2.0"], '--to "v1.2.0"'),
    (["config-sync", "FROM=prod", "TO=dev"], '--from "prod" --to "dev"'),
    (["config-rollback", "ENV=dev", "NAME=risk-params", "TO=3"], '--name "risk-params" --to "3"'),
    (["comment", "ENV=dev", "PLAN_JSON=p.json", "PR=7"], '--plan-json "p.json" --pr "7"'),
    (["unlock", "ENV=dev", "LOCK_ID=abc"], '--lock-id "abc"'),
    (["deploy", "ENV=dev", "TIMEOUT=30", "TAG=v1", "IMAGE_TAG=v1-a"], '--tag "v1" --image-tag "v1-a" --timeout "30"'),
])
def test_make_passes_each_variable_the_readme_names_to_tbctl(args, expected):
    done = run_make("-n", *args, VENV=sys.prefix)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout, done.stdout


def test_deploy_waits_600_seconds_by_default():
    env = {k: v for k, v in os.environ.items() if k != "TIMEOUT"}
    code = "from tbctl.cli import build_parser; print(build_parser().parse_args(['deploy']).timeout)"
    done = subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(REPO / "scripts")},
                          capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "600", done.stderr


def test_dry_run_from_make_reaches_every_command_that_changes_something():
    """make passes DRY_RUN=1 through the environment; each changing command reads it."""
    code = ("from tbctl.cli import build_parser; parser = build_parser(); "
            "print([parser.parse_args([c]).dry_run for c in ('deploy', 'comment', 'config-push', 'config-rollback', 'config-sync')])")
    env = {k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES}
    for value, expected in (("1", "True"), ("", "False")):
        done = subprocess.run([sys.executable, "-c", code], env={**env, "DRY_RUN": value, "PYTHONPATH": str(REPO / "scripts")},
                              capture_output=True, text=True, timeout=30)
        assert done.stdout.strip() == str([expected == "True"] * 5), done.stderr


def test_every_make_target_that_runs_tbctl_has_its_own_command_module():
    verbs = set(re.findall(r"^\t@\$\(TBCTL\) ([a-z-]+)", (REPO / "Makefile").read_text(), re.M))
    modules = {p.stem.replace("_", "-") for p in (REPO / "scripts/tbctl/commands").glob("*.py") if not p.stem.startswith("_")}
    assert verbs <= modules, verbs - modules


# -- layout ------------------------------------------------------------------------------------------------------


def _expand(path: str) -> list[str]:
    braces = re.search(r"\{([^}]*)\}", path)
    if braces:
        return [p for choice in braces.group(1).split(",") for p in _expand(path.replace(braces.group(0), choice, 1))]
    return [path]


def test_every_path_in_the_layout_table_exists():
    rows = table_rows(section("## Layout"))
    assert rows, "the layout table is gone"
    for cells in rows:
        if "git-ignored" in cells[0]:
            continue  # made by the tools on first use: a fresh clone has none
        for path in _expand(cells[0].strip("`")):
            matches = list(REPO.glob(path.rstrip("/"))) if "*" in path else [REPO / path]
            assert matches and all(m.exists() for m in matches), f"README layout: {path} does not exist"


MODULES = {"networking", "container-registry", "ecs-service", "config-store", "alarms", "deploy-policy", "kms-key", "environment"}


def test_the_modules_are_the_ones_the_readme_lists_each_four_files_and_a_readme():
    found = {p.name for p in (REPO / "infrastructure/modules").iterdir() if p.is_dir()}
    assert found == MODULES
    for module in MODULES:
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
            assert (REPO / "infrastructure/modules" / module / name).is_file(), f"{module}/{name}"


def test_the_price_table_lives_where_the_readme_says():
    prices = json.loads((REPO / "scripts/tbctl/data/fargate_prices.json").read_text())
    assert prices["region"] and prices["as_of"] and prices["source"]


# -- templates ---------------------------------------------------------------------------------------------------


def test_a_template_reads_tf_release_and_env(tmp_path):
    from tbctl.environments import ENVIRONMENTS
    from tbctl.release import Release
    from tbctl.render import render

    (tmp_path / "svc.json.j2").write_text('{"family": {{ tf.family | tojson }}, "tags": [], "x": '
                                          '[{{ release.tag | tojson }}, {{ release.commit | tojson }}, '
                                          '{{ release.image | tojson }}, {{ env.short | tojson }}, {{ env.name | tojson }}]}')
    outputs = json.loads((REPO / "tests/fixtures/deploy/outputs-prod.json").read_text())
    release = Release(tag="v2.0.0", commit="c" * 40, image_tag="v2.0.0", dirty=False)
    request = render("svc", outputs, release, ENVIRONMENTS["prod"], tmp_path)
    assert request["family"] == outputs["family"]
    assert request["x"] == ["v2.0.0", "c" * 40, f"{outputs['repository_url']}:v2.0.0", "prod", "production"]


def test_render_without_aws_prints_and_saves_under_build(repo):
    """`tbctl render --outputs` with a file in `terraform output -json`'s shape; nothing listens on the port."""
    from conftest import git

    git(repo, "tag", "v1.0.0")
    values = json.loads((REPO / "tests/fixtures/deploy/outputs-dev.json").read_text())
    outputs = repo / "outputs.json"
    outputs.write_text(json.dumps({k: {"value": v, "type": "string", "sensitive": False} for k, v in values.items()}))
    env = {k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES}
    env.update(TBCTL_ROOT=str(repo), PYTHONPATH=str(REPO / "scripts"), LOCAL_PORT="1")
    done = subprocess.run([sys.executable, "-m", "tbctl", "render", "--env", "dev", "--outputs", str(outputs)],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    saved = repo / "build/local/development/task-definitions/trading-bot.json"
    assert json.loads(saved.read_text()) == json.loads(done.stdout)
    assert json.loads(done.stdout)["containerDefinitions"][0]["image"].endswith(":v1.0.0")


# -- waiting -----------------------------------------------------------------------------------------------------


def test_the_rollout_is_polled_at_most_every_15_seconds(monkeypatch):
    from tbctl import service, wait

    arn = "arn:aws:ecs:us-east-1:1:task-definition/trading-bot-dev:3"
    answers = [{"deployments": [{"id": "d", "taskDefinition": arn, "status": "PRIMARY", "rolloutState": "IN_PROGRESS",
                                 "runningCount": 0, "pendingCount": 1}, {"id": "o", "taskDefinition": "x:2",
                                                                          "status": "ACTIVE", "rolloutState": "COMPLETED"}]}] * 20
    answers.append({"deployments": [{"id": "d", "taskDefinition": arn, "status": "PRIMARY", "rolloutState": "COMPLETED",
                                     "runningCount": 1, "pendingCount": 0}]})
    replies = iter(answers)
    monkeypatch.setattr(service, "describe", lambda *args: next(replies))
    sleeps = []
    wait.wait(None, "c", "s", arn, "d", "dev", timeout=10_000, stream=open(os.devnull, "w"), sleep=sleeps.append)
    assert len(sleeps) == 20 and max(sleeps) == 15 and sleeps[0] < 15


# -- Terraform providers -----------------------------------------------------------------------------------------


@pytest.fixture
def root(tmp_path, monkeypatch):
    from tbctl import paths

    monkeypatch.setenv("TBCTL_ROOT", str(tmp_path))
    monkeypatch.delenv("TBCTL_TF_CLI_CONFIG", raising=False)
    paths.root.cache_clear()
    yield tmp_path
    paths.root.cache_clear()


def test_providers_come_from_the_mirror_tbctl_tf_mirror_names(root, monkeypatch):
    from tbctl.terraform import cliconfig

    mirror = root / "mirror"
    (mirror / "registry.terraform.io" / "hashicorp" / "aws").mkdir(parents=True)
    monkeypatch.setenv("TBCTL_TF_MIRROR", str(mirror))
    path = cliconfig.ensure()
    assert path == root / "build" / "terraformrc"
    assert f'path    = "{mirror}"' in path.read_text() and "filesystem_mirror" in path.read_text()


def test_without_a_mirror_providers_come_from_the_public_registry(root, monkeypatch):
    from tbctl.terraform import cliconfig

    monkeypatch.setenv("TBCTL_TF_MIRROR", str(root / "empty"))
    text = cliconfig.ensure().read_text()
    assert "provider_installation" not in text and "public registry" in text


def test_tbctl_tf_cli_config_names_your_own_config(root, monkeypatch):
    from tbctl.terraform import cliconfig

    monkeypatch.setenv("TBCTL_TF_CLI_CONFIG", str(root / "mine.tfrc"))
    assert cliconfig.ensure() == root / "mine.tfrc"
    assert not (root / "build" / "terraformrc").exists()


def test_the_mirror_is_looked_for_where_the_readme_says():
    from tbctl.terraform import cliconfig

    for folder in ("/opt/tf-plugins", "~/.terraform.d/plugins", "/usr/share/terraform/plugins"):
        assert folder in cliconfig.CANDIDATES


# -- CI ----------------------------------------------------------------------------------------------------------


def _workflow() -> dict:
    import yaml

    return yaml.safe_load((REPO / ".github/workflows/plan.yml").read_text())


def test_the_plan_workflow_runs_plan_lint_and_comment_for_both_environments_on_pull_requests():
    flow = _workflow()
    triggers = flow.get("on") or flow.get(True)  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    job = flow["jobs"]["plan"]
    assert job["strategy"]["matrix"]["env"] == ["dev", "prod"]
    commands = [step.get("run", "") for step in job["steps"]]
    for verb in ("plan", "lint", "comment"):
        assert any(re.match(rf"make {verb} ENV=\$\{{\{{ matrix.env }}}}", c) for c in commands), verb
    assert job["env"]["TARGET"] == "${{ vars.AWS_ROLE_ARN != '' && 'aws' || 'local' }}"
    oidc = next(s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert oidc["if"] == "vars.AWS_ROLE_ARN != ''" and flow["permissions"]["id-token"] == "write"


def test_the_plan_workflow_runs_when_what_a_plan_depends_on_changes():
    paths = (_workflow().get("on") or _workflow().get(True))["pull_request"].get("paths")
    for folder in ("infrastructure/**", "task-definitions/**", "scripts/tbctl/**", "Makefile"):
        assert folder in paths


def test_the_uploaded_artifact_never_holds_plan_json_or_the_binary_plan():
    upload = next(s for s in _workflow()["jobs"]["plan"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "plan-${{ matrix.env }}"
    paths = upload["with"]["path"].split()
    assert any(p.endswith("plan.txt") for p in paths) and any(p.endswith("plan.comment.md") for p in paths)
    assert not [p for p in paths if p.endswith(("plan.json", "plan.tfplan", "*")) or p.endswith("/")]


# -- checkov skips -----------------------------------------------------------------------------------------------


WHERE = {  # the README's "where" column -> the folders holding those resources
    "kms-key key policy": ["modules/kms-key"],
    "deploy-policy": ["modules/deploy-policy"],
    "exchange and notification secrets": ["modules/ecs-service"],
    "container log group": ["modules/ecs-service"],
    "state and config buckets": ["bootstrap", "modules/config-store"],
}


def test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason():
    inline = {}
    for path in (REPO / "infrastructure").rglob("*.tf"):
        for check, reason in re.findall(r"#checkov:skip=([A-Z0-9_]+):(.*)", path.read_text()):
            assert len(reason.strip()) > 20, f"{path}: {check} is skipped without a reason"
            inline.setdefault(check, set()).add(str(path.parent.relative_to(REPO / "infrastructure")))
    table = {}
    for cells in table_rows(section("### checkov skips (inline, each with its reason)")):
        for check in re.findall(r"CKV2?_AWS_\d+", cells[0]):
            table[check] = set(WHERE[cells[1]])
    assert table == inline


# -- what the README asks of the machine, and what the templates read ------------------------------------------------


def test_the_declared_requirements_are_python_3_10_and_terraform_1_10():
    assert re.search(r'^requires-python = ">=3.10"$', (REPO / "pyproject.toml").read_text(), re.M)
    roots = sorted((REPO / "infrastructure").rglob("versions.tf"))
    assert roots
    for path in roots:
        assert re.search(r'required_version\s*=\s*">= 1.10"', path.read_text()), path


def test_the_tests_keep_unit_and_integration_beside_each_other_and_fixtures_apart():
    for folder in ("unit", "integration", "fixtures"):
        assert (REPO / "tests" / folder).is_dir(), folder
    assert not list((REPO / "tests/fixtures").rglob("test_*.py")), "fixtures hold data, not tests"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_sizes_roles_log_group_secrets_environment_and_ports_come_from_the_outputs(env):
    from tbctl.environments import ENVIRONMENTS
    from tbctl.release import Release
    from tbctl.render import render

    outputs = json.loads((REPO / f"tests/fixtures/deploy/outputs-{env}.json").read_text())
    changed = {**outputs, "cpu": 2048, "memory": 4096, "execution_role_arn": "arn:aws:iam::1:role/x-exec",
               "task_role_arn": "arn:aws:iam::1:role/x-task", "log_group_name": "/ecs/elsewhere", "container_port": 9090,
               "secrets": {"A_KEY": "arn:aws:secretsmanager:us-east-1:1:secret:a"}, "environment_variables": {"MODE": "x"}}
    release = Release(tag="v1", commit="e" * 40, image_tag="v1", dirty=False)
    request = render("trading-bot", changed, release, ENVIRONMENTS[env], REPO / "task-definitions")
    container = request["containerDefinitions"][0]
    assert (request["cpu"], request["memory"]) == ("2048", "4096")
    assert (request["executionRoleArn"], request["taskRoleArn"]) == (changed["execution_role_arn"], changed["task_role_arn"])
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/ecs/elsewhere"
    assert [(p["containerPort"], p["hostPort"]) for p in container["portMappings"]] == [(9090, 9090)]
    assert container["secrets"] == [{"name": "A_KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:a"}]
    assert {"name": "MODE", "value": "x"} in container["environment"]


def test_in_ci_a_cut_comment_points_to_the_plan_artifact_of_its_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_") and k not in MAKE_VARIABLES}
    env.update(TBCTL_ROOT=str(REPO), PYTHONPATH=str(REPO / "scripts"), GITHUB_SERVER_URL="https://github.example",
               GITHUB_REPOSITORY="octo/trading-bot", GITHUB_RUN_ID="4242")
    done = subprocess.run([sys.executable, "-m", "tbctl", "comment", "--env", "prod", "--plan-json",
                           str(REPO / "tests/fixtures/plans/large-1000.json")], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    cut = [line for line in done.stdout.splitlines() if "cut here" in line]
    assert cut and all("`plan-prod`" in line and "actions/runs/4242" in line for line in cut), cut
