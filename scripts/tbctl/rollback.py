"""Move the service back to the newest revision of a git tag, or to the one before the current; registers nothing."""

from tbctl import revisions, service
from tbctl.errors import UserError


def find_previous(target, family: str, current_arn: str) -> str:
    """The newest revision older than the current one that a release of ours registered (Terraform's baseline is not a release)."""
    current = revisions.number(current_arn)
    for arn in revisions.active(target, family):
        if revisions.number(arn) >= current:
            continue
        found = revisions.describe(target, arn)
        if found and revisions.tag_map(found[1]).get("git_tag"):
            return arn
    raise UserError(f"no release revision of {family} is older than {revisions.label(current_arn)}",
                    "name a git tag with TO=<tag>; `make status` shows what runs now")


def find_tag(target, family: str, git_tag: str) -> str:
    arn, seen = revisions.find_by_tag(target, family, git_tag)
    if arn:
        return arn
    known = ", ".join(seen) if seen else "none (no release has been deployed)"
    raise UserError(f"no revision of {family} is tagged '{git_tag}'; tags with revisions: {known}",
                    "pass TO= one of those tags, or TO=previous")


def choose(target, outputs: dict, to: str, env_short: str) -> tuple[str, dict]:
    """(the ARN to roll back to, the service as it is now)."""
    if not (to or "").strip():
        raise UserError("no rollback target given", "pass TO=<git tag> or TO=previous")
    svc = service.describe(target, outputs["cluster_name"], outputs["service_name"], env_short)
    family = outputs["family"]
    to = to.strip()
    arn = find_previous(target, family, svc["taskDefinition"]) if to == "previous" else find_tag(target, family, to)
    return arn, svc


def rollback(target, outputs: dict, to: str, env_short: str, dry_run: bool = False, no_wait: bool = False,
             timeout: float = 600.0) -> str:
    """Move the service to the revision `to` names and wait for it; returns its label. Registers nothing."""
    arn, svc = choose(target, outputs, to, env_short)
    label, cluster, name = revisions.label(arn), outputs["cluster_name"], outputs["service_name"]
    if service.settled_on(svc, arn):
        print(f"service {name} already runs {label}; nothing to do")
        return label
    if dry_run:
        print(f"would move service {name} from {revisions.label(svc['taskDefinition'])} to {label}; dry run: nothing changed")
        return label
    if svc["taskDefinition"] == arn:  # an earlier rollback was interrupted while waiting: wait for it
        deployment = next((d for d in svc.get("deployments", []) if d.get("taskDefinition") == arn), {})
        print(f"service {name} is already rolling back to {label}")
    else:
        deployment = service.update(target, cluster, name, arn)
        print(f"service {name}: {revisions.label(svc['taskDefinition'])} -> {label} (rollback to {to}, nothing registered)")
    if not no_wait:
        from tbctl import wait

        wait.wait(target, cluster, name, arn, deployment.get("id"), env_short, timeout, rerun=f"rollback TO={to}")
        print(f"rolled back to {label}, rollout COMPLETED")
    return label
