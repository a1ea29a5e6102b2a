"""Where a release reads the environment's Terraform outputs: the state itself, or a saved file.

The state (tbctl.terraform.outputs) is the one source of truth. A file saved
with `terraform output -json` serves renders without AWS access (CI
artifacts, unit tests); both shapes, {name: value} and {name: {"value": ...}},
are accepted.
"""

import json
from pathlib import Path

from tbctl.errors import UserError

# What the template and the deploy step read; a missing one means the Terraform is older than this code.
REQUIRED = (
    "region", "environment", "cluster_name", "service_name", "family", "container_name", "container_port",
    "cpu", "memory", "execution_role_arn", "task_role_arn", "log_group_name", "log_stream_prefix",
    "repository_url", "repository_name", "secrets", "environment_variables",
)
# Outputs that may be null; Terraform leaves null outputs out of the state, so they read as None here.
OPTIONAL = ("health_check",)


def from_file(path: str | Path) -> dict:
    path = Path(path)
    try:
        raw = json.loads(path.read_text())
    except OSError as exc:
        raise UserError(f"cannot read the outputs file {path}: {exc.strerror}", "pass the JSON saved by `terraform output -json`") from None
    except ValueError as exc:
        raise UserError(f"the outputs file {path} is not JSON ({exc})", "pass the JSON saved by `terraform output -json`") from None
    if not isinstance(raw, dict):
        raise UserError(f"the outputs file {path} is not a JSON object", "pass the JSON saved by `terraform output -json`")
    return {name: (value["value"] if isinstance(value, dict) and "value" in value and "type" in value else value)
            for name, value in raw.items()}


def load(env, target, path: str | Path | None = None) -> dict:
    """The outputs of `env` on `target` (or from `path`), checked for what a release needs."""
    if path:
        outputs = from_file(path)
        where = str(path)
    else:
        from tbctl.terraform import outputs as state_outputs

        outputs = state_outputs.read(env, target)
        where = f"the {env.name} state"
    for name in OPTIONAL:
        outputs.setdefault(name, None)
    missing = [name for name in REQUIRED if outputs.get(name) is None]
    if missing:
        raise UserError(f"{where} has no output {', '.join(missing)}",
                        f"apply the infrastructure first (make apply ENV={env.short})")
    return outputs
