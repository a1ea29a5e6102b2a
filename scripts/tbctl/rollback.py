"""Move the service back to the newest sound revision of a git tag, or of the release before the current one; registers nothing.

A revision is sound when it was built from a clean tree (no git_dirty tag) and, in production, runs exactly
the image its git tag names (release.image_problem, the rule render and deploy enforce). Development falls
back to a revision built from a dirty tree only when the tag has no clean one, and says so; production never
runs a revision that is not sound.
"""

import sys

from tbctl import release as releases, revisions, service
from tbctl.errors import UserError


def flaw(definition: dict, tags: dict, repository_url: str, production: bool) -> str | None:
    """Why a revision is not a sound release of its git tag; None when it is."""
    if tags.get("git_dirty") == "true":
        return "built from a dirty tree (git_dirty)"
    if production:
        return releases.image_problem(definition.get("containerDefinitions"), repository_url,
                                      releases.image_of(tags.get("git_tag", "")))
    return None


def best(described, git_tag: str, repository_url: str, env_short: str, family: str) -> str | None:
    """The newest sound revision tagged `git_tag` among `described` (newest first); None when none is tagged so.

    Stops at the first sound match: only the revisions newer than it are described.
    """
    production = env_short == "prod"
    flawed: list[tuple[str, str]] = []
    for arn, definition, tags in described:
        if tags.get("git_tag") != git_tag:
            continue
        why = flaw(definition, tags, repository_url, production)
        if not why:
            return arn
        flawed.append((arn, why))
    if not flawed:
        return None
    arn, why = flawed[0]
    if production:
        raise UserError(f"no revision of {family} tagged '{git_tag}' runs exactly that release: "
                        f"{revisions.label(arn)} is {why}" + (f" (and {len(flawed) - 1} more like it)" if len(flawed) > 1 else ""),
                        f"deploy {git_tag} again from a clean checkout (git checkout {git_tag}, then make deploy ENV={env_short}), "
                        "or pass TO= another tag")
    print(f"note: no revision tagged {git_tag} was built from a clean tree; using the newest, {revisions.label(arn)} ({why})",
          file=sys.stderr)
    return arn


def find_previous(target, family: str, current_arn: str, repository_url: str, env_short: str) -> str:
    """The newest sound revision of the release registered before the current revision (Terraform's baseline is not a release)."""
    older = revisions.described(target, family, older_than=revisions.number(current_arn))
    for arn, definition, tags in older:
        if tags.get("git_tag"):
            rest = revisions.described(target, family, older_than=revisions.number(arn) + 1)
            return best(rest, tags["git_tag"], repository_url, env_short, family)
    raise UserError(f"no release revision of {family} is older than {revisions.label(current_arn)}",
                    "name a git tag with TO=<tag>; `make status` shows what runs now")


def find_tag(target, family: str, git_tag: str, repository_url: str, env_short: str) -> str:
    seen: list[str] = []

    def described():
        for item in revisions.described(target, family):
            tag = item[2].get("git_tag")
            if tag and tag != git_tag and tag not in seen:
                seen.append(tag)
            yield item

    arn = best(described(), git_tag, repository_url, env_short, family)
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
    family, repository_url = outputs["family"], outputs["repository_url"]
    to = to.strip()
    if to == "previous":
        return find_previous(target, family, svc["taskDefinition"], repository_url, env_short), svc
    return find_tag(target, family, to, repository_url, env_short), svc


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
