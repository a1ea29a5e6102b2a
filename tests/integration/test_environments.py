"""Both environments plan, apply and converge on the local target, through `make`."""

import json
import re

import pytest

from conftest import make

pytestmark = pytest.mark.integration

EXPECTED = {
    # env: (name, capacity provider, cpu, memory, desired, max %, min %)
    "dev": ("trading-bot-dev", "FARGATE_SPOT", "256", "512", 1, 200, 0),
    "prod": ("trading-bot-prod", "FARGATE", "1024", "2048", 3, 150, 50),
}


def _ok(done):
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    return done


def test_plan_prod_prints_a_plan_of_production(repo, emulator):
    done = _ok(make(repo, "plan", "ENV=prod", emulator=emulator))
    assert "Terraform will perform the following actions" in done.stdout or "No changes" in done.stdout
    assert re.search(r"^production: (\d+ to add|no changes)", done.stdout, re.M)
    plan = json.loads((repo / "build/local/production/plan.json").read_text())
    names = {change["address"] for change in plan["resource_changes"]}
    assert any("aws_ecs_service" in name for name in names)
    assert (repo / "build/local/production/plan.tfplan").exists()


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_apply_then_plan_reports_no_changes_and_aws_matches_the_design(repo, emulator, env):
    _ok(make(repo, "apply", f"ENV={env}", emulator=emulator))
    second = _ok(make(repo, "plan", f"ENV={env}", emulator=emulator))
    assert "No changes." in second.stdout, second.stdout[-4000:]

    name, provider, cpu, memory, desired, max_pct, min_pct = EXPECTED[env]
    ecs = emulator.client("ecs")
    cluster = ecs.describe_clusters(clusters=[name], include=["SETTINGS"])["clusters"][0]
    assert {"name": "containerInsights", "value": "enabled"} in cluster["settings"]
    service = ecs.describe_services(cluster=name, services=[name])["services"][0]
    assert [(s["capacityProvider"], s["weight"]) for s in service["capacityProviderStrategy"]] == [(provider, 100)]
    assert service["desiredCount"] == desired
    assert service["deploymentConfiguration"]["maximumPercent"] == max_pct
    assert service["deploymentConfiguration"]["minimumHealthyPercent"] == min_pct
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    assert (task["family"], task["cpu"], task["memory"], task["networkMode"]) == (name, cpu, memory, "awsvpc")
    container = task["containerDefinitions"][0]
    assert container["name"] == "trading-bot"
    assert {s["name"] for s in container["secrets"]} == {"BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"}
    assert not any("KEY" in e["name"] for e in container.get("environment", []))
    if env == "prod":
        assert service["serviceRegistries"], "production registers the service in Cloud Map"
        assert container["healthCheck"]["command"] == ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
        assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}


def test_repeated_plan_does_not_rerun_init(repo, emulator):
    _ok(make(repo, "plan", "ENV=dev", emulator=emulator))
    stamp = repo / "build/local/development/init.stamp"
    before = stamp.stat().st_mtime_ns
    _ok(make(repo, "plan", "ENV=dev", emulator=emulator))
    assert stamp.stat().st_mtime_ns == before


def test_apply_refuses_a_saved_plan_made_before_a_configuration_change(repo, emulator):
    _ok(make(repo, "plan", "ENV=dev", emulator=emulator))
    main_tf = repo / "infrastructure/environments/development/main.tf"
    main_tf.write_text(main_tf.read_text() + "\n# a change after the plan\n")
    done = make(repo, "apply", "ENV=dev", emulator=emulator)
    assert done.returncode != 0
    assert "stale" in done.stderr and "make plan ENV=dev" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args, expected", [
    (["plan", "ENV=staging"], "unknown environment 'staging'. Fix: use ENV= one of: dev, development, prod, production"),
    (["plan", "ENV=dev", "TARGET=gcp"], "unknown target 'gcp'"),
    (["apply"], "no environment given"),
])
def test_bad_input_fails_with_one_line(repo, args, expected):
    done = make(repo, *args)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_local_down_leaves_no_emulator_process(repo):
    from conftest import free_port

    port = str(free_port())
    up = _ok(make(repo, "local-up", env={"LOCAL_PORT": port}))
    pid = int(re.search(r"pid (\d+)", up.stdout + up.stderr).group(1))
    _ok(make(repo, "local-down", env={"LOCAL_PORT": port}))
    import os

    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
