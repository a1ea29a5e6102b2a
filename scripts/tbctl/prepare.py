"""Everything a release step needs before AWS changes: the git release, the outputs, the validated request.

Shared by render, diff and deploy so they agree on what would ship.
"""

from dataclasses import dataclass

from tbctl import outputs_source, paths, release as releases, render, target as targets, validate
from tbctl.errors import UserError

DEFAULT_SERVICE = "trading-bot"


@dataclass(frozen=True)
class Prepared:
    service: str
    request: dict
    outputs: dict
    release: releases.Release


def identify(env, tag: str | None = None, image_tag: str | None = None) -> releases.Release:
    return releases.identify(paths.root(), env.production, tag, image_tag)


def prepare(env, target, service: str = DEFAULT_SERVICE, tag: str | None = None, image_tag: str | None = None,
            outputs_file: str | None = None, release: releases.Release | None = None) -> Prepared:
    """Render and validate `service` for `env`: raises UserError before anything touches AWS when it cannot ship."""
    release = release or identify(env, tag, image_tag)
    outputs = outputs_source.load(env, target, outputs_file, service)
    request = render.render(service, outputs, release, env)
    if env.production:
        # Whatever the template or the outputs say, production runs the image its git tag names.
        problem = releases.image_problem(request.get("containerDefinitions"), outputs["repository_url"], release.image_tag)
        if problem:
            raise UserError(f"{service}.json.j2 for {env.name}: {problem}; production runs only the image of its git tag",
                            f"give the container the image {{{{ release.image | tojson }}}} in task-definitions/{service}.json.j2")
    # The ECS client's model is the one botocore would load anyway; making a client sends nothing.
    model = targets.client(target, "ecs").meta.service_model
    validate.check(request, env.production, f"{service}.json.j2 for {env.name}", model)
    return Prepared(service, request, outputs, release)
