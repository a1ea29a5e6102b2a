"""The environment's outputs as one workload sees them: its entry of `services` over the environment's values."""

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError
from tbctl.outputs_source import load, workload
from tbctl.release import Release
from tbctl.render import render

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "deploy"
TEMPLATES = Path(__file__).resolve().parents[2] / "task-definitions"
RELEASE = Release(tag="v1.2.0", commit="a" * 40, image_tag="v1.2.0", dirty=False)
# What infrastructure/environments/shared/outputs.tf exposes beside `services`.
ENVIRONMENT_LEVEL = {"region", "environment", "short_name", "config_bucket", "repository_url", "repository_name"}


def structured(flat: dict, name: str = "trading-bot", others: dict | None = None) -> dict:
    """The flat fixture in the environment module's shape: `terraform output -json` of today's roots."""
    top = {key: value for key, value in flat.items() if key in ENVIRONMENT_LEVEL}
    return {**top, "services": {name: {key: value for key, value in flat.items() if key not in ENVIRONMENT_LEVEL}, **(others or {})}}


def save(tmp_path, values) -> Path:
    path = tmp_path / "outputs.json"
    # as `terraform output -json` writes it
    path.write_text(json.dumps({key: {"value": value, "type": "any", "sensitive": False} for key, value in values.items()}))
    return path


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_a_template_renders_the_same_from_the_structured_outputs_as_from_the_flat_ones(env, tmp_path):
    flat = json.loads((FIXTURES / f"outputs-{env}.json").read_text())
    loaded = load(ENVIRONMENTS[env], None, save(tmp_path, structured(flat)))
    assert "services" not in loaded
    assert render("trading-bot", loaded, RELEASE, ENVIRONMENTS[env], TEMPLATES) == render(
        "trading-bot", flat, RELEASE, ENVIRONMENTS[env], TEMPLATES)


def test_several_workloads_need_one_named(tmp_path):
    flat = json.loads((FIXTURES / "outputs-dev.json").read_text())
    other = {**{k: v for k, v in flat.items() if k not in ENVIRONMENT_LEVEL}, "family": "market-feed-dev"}
    path = save(tmp_path, structured(flat, others={"market-feed": other}))
    with pytest.raises(UserError, match="2 workloads .market-feed, trading-bot., and none was named") as caught:
        load(ENVIRONMENTS["dev"], None, path)
    assert "--service" in caught.value.fix
    assert load(ENVIRONMENTS["dev"], None, path, "market-feed")["family"] == "market-feed-dev"
    with pytest.raises(UserError, match="no workload 'billing' .it has market-feed, trading-bot."):
        load(ENVIRONMENTS["dev"], None, path, "billing")


names = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
values = st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(lambda k: k != "services"),
                         st.one_of(st.none(), st.integers(), st.text(max_size=8)), max_size=6)


@given(top=values, services=st.dictionaries(names, values, min_size=1, max_size=4), data=st.data())
def test_a_workload_sees_its_own_values_over_the_environments(top, services, data):
    name = data.draw(st.sampled_from(sorted(services)))
    seen = workload({**top, "services": services}, "the state", name)
    assert "services" not in seen
    assert set(seen) == set(top) | set(services[name])
    for key, value in seen.items():
        assert value == (services[name][key] if key in services[name] else top[key])


@given(flat=values)
def test_outputs_without_services_are_read_as_they_are(flat):
    assert workload(dict(flat), "the state") == flat


def test_a_release_of_a_workload_the_environment_does_not_have_is_refused_before_rendering(tmp_path):
    import subprocess
    import sys

    flat = json.loads((FIXTURES / "outputs-dev.json").read_text())
    path = save(tmp_path, structured(flat))
    done = subprocess.run([sys.executable, "-m", "tbctl", "render", "--env", "dev", "--service", "market-feed", "--outputs", str(path)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode != 0 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "has no workload 'market-feed' (it has trading-bot). Fix: pass --service" in errors[0], done.stderr
