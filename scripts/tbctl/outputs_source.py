"""Where a release reads the environment's Terraform outputs: the state itself, or a saved file.

The state (tbctl.terraform.outputs) is the one source of truth. A file saved
with `terraform output -json` serves renders without AWS access (CI
artifacts, unit tests); both shapes, {name: value} and {name: {"value": ...}},
are accepted.

The environment's Terraform exposes its own values at the top level and each
workload's as one object in `services`; a release sees one workload's view,
flat as the templates read it (`tf.family`, `tf.region`), built here only.
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


def workload(outputs: dict, where: str, service: str | None = None) -> dict:
    """The environment's outputs with one workload's entry of `services` on top: what a template reads as tf.*.

    `service` None means the environment's only workload. Outputs without `services`
    (a state applied before workloads were a map) are already flat.
    """
    services = outputs.get("services")
    if services is None:
        return outputs
    if service is None:
        if len(services) != 1:
            raise UserError(f"{where} has {len(services)} workloads ({', '.join(sorted(services))}), and none was named",
                            "pass --service with one of them")
        service = next(iter(services))
    if service not in services:
        raise UserError(f"{where} has no workload {service!r} (it has {', '.join(sorted(services))})",
                        "pass --service with one of them, or add the workload to the environment's services and apply")
    return {**{name: value for name, value in outputs.items() if name != "services"}, **services[service]}


def load(env, target, path: str | Path | None = None, service: str | None = None) -> dict:
    """The outputs of `env` on `target` (or from `path`) as `service` sees them, checked for what a release needs."""
    if path:
        outputs = from_file(path)
        where = str(path)
    else:
        from tbctl.terraform import outputs as state_outputs

        outputs = state_outputs.read(env, target)
        where = f"the {env.name} state"
    outputs = workload(outputs, where, service)
    for name in OPTIONAL:
        outputs.setdefault(name, None)
    missing = [name for name in REQUIRED if outputs.get(name) is None]
    if missing:
        raise UserError(f"{where} has no output {', '.join(missing)}",
                        f"apply the infrastructure first (make apply ENV={env.short})")
    return outputs
