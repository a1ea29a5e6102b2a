HELP = "render and validate ENV's task definition; print it and save it under build/"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    from tbctl.commands._release import add_release_arguments

    add_release_arguments(parser)


def run(args) -> int:
    import json
    import sys

    from tbctl import render
    from tbctl.commands._release import prepared

    env, target, release = prepared(args, reads_aws=False)
    path = render.save(release.request, release.service, env, target)
    print(json.dumps(release.request, indent=2))
    print(f"rendered {release.service} for {env.name} (release {release.release.describe()}), valid; saved {path}", file=sys.stderr)
    return 0
