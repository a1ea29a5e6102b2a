"""Ship a release: apply the infrastructure, render, verify, register if changed, move the service, wait.

Each step prints one line. A redeploy of the same release registers nothing
("unchanged, revision N") and, when the service already runs it, updates
nothing either; an interrupted deploy is finished by running it again.
"""

import sys
from dataclasses import dataclass

from tbctl import local_image, prepare as preparing, register, revisions, service, verify, wait
from tbctl.errors import UserError


@dataclass
class Options:
    service: str = preparing.DEFAULT_SERVICE
    tag: str | None = None
    image_tag: str | None = None
    timeout: float = 600.0
    dry_run: bool = False
    skip_apply: bool = False
    no_wait: bool = False
    outputs_file: str | None = None


def say(text: str) -> None:
    print(text, flush=True)


def _apply(env, target, dry_run: bool) -> None:
    if dry_run:
        say(f"would apply the {env.name} infrastructure first (see `make plan ENV={env.short}`)")
        return
    import os

    from tbctl.terraform import apply as applying

    # Production on AWS asks for CONFIRM=production (or CI=true), as `make apply` does.
    applying.run(env, target, confirm=os.environ.get("CONFIRM"))


def _verify(env, target, options: Options, outputs: dict, request: dict, release) -> None:
    """What the revision points at exists; on the local target the image is put there first, as CI's push would."""
    repository = outputs["repository_name"]
    if target.local and options.dry_run:
        return  # the stand-in image is not put on a dry run, so there is nothing to check it against
    if target.local and local_image.ensure(target, repository, release.image_tag):
        say(f"local target: stand-in image {repository}:{release.image_tag} added to the emulator's ECR")
    verify.verify(target, request, repository, release.image_tag, env.short)


def deploy(env, target, options: Options) -> dict:
    """Returns a summary: revision, registered, updated, rollout."""
    # Git first: a production release that cannot ship fails before AWS is touched at all.
    release = preparing.identify(env, options.tag, options.image_tag)
    if env.production and not target.local and options.outputs_file:
        # Roles, repository and log group must be the ones Terraform applied, not a file's claim.
        raise UserError("production deploys on AWS read the Terraform outputs from the production state, not from a file",
                        "drop --outputs; make deploy ENV=prod reads the state itself")
    if release.dirty:
        print("note: the working tree has uncommitted changes; the revision is tagged git_dirty=true", file=sys.stderr)
    if target.local:
        from tbctl.emulator import control

        control.up()
    else:
        from tbctl import preflight

        preflight.run(target, "deploy")  # every missing permission named before anything changes
    if not options.skip_apply:
        _apply(env, target, options.dry_run)
    prepared = preparing.prepare(env, target, options.service, outputs_file=options.outputs_file, release=release)
    outputs, request = prepared.outputs, prepared.request
    say(f"release {release.describe()}, image {outputs['repository_url']}:{release.image_tag}")
    cluster, name = outputs["cluster_name"], outputs["service_name"]

    # Read first; verify only when something is about to change (a redeploy that changes nothing stays fast).
    arn = register.unchanged(target, request)
    svc = service.describe(target, cluster, name, env.short)
    summary = {"revision": revisions.label(arn) if arn else None, "registered": False, "updated": False, "rollout": None}
    if arn and service.settled_on(svc, arn):
        say(f"unchanged, revision {revisions.number(arn)} ({revisions.label(arn)}); service {name} already runs it")
        summary["rollout"] = "COMPLETED"
        return summary
    _verify(env, target, options, outputs, request, release)
    if not arn:
        if options.dry_run:
            say(f"would register a new revision of {request['family']} tagged {release.tag} "
                f"and move service {name} to it; dry run: nothing changed")
            return summary
        arn = register.register(target, request)
        summary.update(revision=revisions.label(arn), registered=True)
        say(f"registered {revisions.label(arn)}")
    else:
        say(f"unchanged, revision {revisions.number(arn)} ({revisions.label(arn)})")

    if svc.get("taskDefinition") == arn:
        deployment = next((d for d in svc.get("deployments", []) if d.get("taskDefinition") == arn), {})
        say(f"service {name} is already rolling out {revisions.label(arn)}")
    elif options.dry_run:
        say(f"would move service {name} from {revisions.label(svc.get('taskDefinition', '?'))} to {revisions.label(arn)}; dry run: nothing changed")
        return summary
    else:
        deployment = service.update(target, cluster, name, arn)
        summary["updated"] = True
        say(f"service {name}: {revisions.label(svc.get('taskDefinition', '?'))} -> {revisions.label(arn)}")
    if options.no_wait or options.dry_run:
        summary["rollout"] = deployment.get("rolloutState")
        return summary
    final = wait.wait(target, cluster, name, arn, deployment.get("id"), env.short, options.timeout)
    summary["rollout"] = final.get("rolloutState", "COMPLETED")
    say(f"deployed {release.tag} to {env.name}: {revisions.label(arn)}, {final.get('runningCount', 0)}/{final.get('desiredCount', 0)} running, rollout COMPLETED")
    return summary


def check_timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise UserError(f"timeout '{value}' is not a positive number of seconds", "pass TIMEOUT=<seconds>, e.g. TIMEOUT=900")
    return seconds
