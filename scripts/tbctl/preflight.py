"""Before acting on AWS: who is calling, and may they do what `make plan` / `make deploy` need?

The permissions are the deploy policy's own list (infrastructure/modules/
deploy-policy/permissions.json, which the Terraform module also reads), simulated
for the caller with iam:SimulatePrincipalPolicy; every missing action is named.
"""

import json
import re

from tbctl import paths
from tbctl.errors import UserError
from tbctl.target import Target, client

PERMISSIONS_FILE = ("infrastructure", "modules", "deploy-policy", "permissions.json")
# Conditions the deploy policy narrows on, as a real deploy presents them.
CONTEXT = [
    {"ContextKeyName": "iam:PassedToService", "ContextKeyValues": ["ecs-tasks.amazonaws.com"], "ContextKeyType": "string"},
]
_ASSUMED_ROLE = re.compile(r"^arn:(aws[\w-]*):sts::(\d{12}):assumed-role/([^/]+)/.+$")


def required_actions(purpose: str) -> list[str]:
    """The actions `purpose` (plan or deploy) needs, from the deploy policy's permission list."""
    data = json.loads(paths.root().joinpath(*PERMISSIONS_FILE).read_text())
    groups = ["plan"] if purpose == "plan" else ["plan", "deploy"]
    return sorted({action for group in groups for actions in data[group].values() for action in actions})


def principal_arn(caller_arn: str) -> str:
    """The IAM ARN to simulate: an assumed-role session stands for its role."""
    match = _ASSUMED_ROLE.match(caller_arn)
    if match:
        partition, account, role = match.groups()
        return f"arn:{partition}:iam::{account}:role/{role}"
    return caller_arn


def missing_actions(target: Target, arn: str, actions: list[str]) -> list[str]:
    iam = client(target, "iam")
    denied = []
    for start in range(0, len(actions), 100):  # the API takes a bounded list per call
        pages = iam.get_paginator("simulate_principal_policy").paginate(
            PolicySourceArn=arn, ActionNames=actions[start:start + 100], ContextEntries=CONTEXT)
        for page in pages:
            denied += [r["EvalActionName"] for r in page["EvaluationResults"] if r["EvalDecision"] != "allowed"]
    return sorted(set(denied))


def run(target: Target, purpose: str) -> str:
    """Check the caller; return its ARN, or raise naming every missing permission."""
    if target.local:
        return "local emulator (no IAM to check)"
    caller = client(target, "sts").get_caller_identity()["Arn"]
    arn = principal_arn(caller)
    missing = missing_actions(target, arn, required_actions(purpose))
    if missing:
        raise UserError(f"{arn} lacks {len(missing)} permission(s) that `make {purpose}` needs: {', '.join(missing)}",
                        "attach the deploy policy (Terraform output services.<workload>.deploy_policy_arn; README 'Permissions') to this identity")
    return arn
