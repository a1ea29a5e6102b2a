HELP = "render and validate ENV's task definition; print it and save it under build/"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    from tbctl.commands._release import add_release_arguments

    add_release_arguments(parser)


def run(args) -> int:
    import json
    import sys

    from tbctl import environments, prepare, render, target as targets
    from tbctl.commands._release import local_up

    env, target = environments.one(args.env), targets.resolve(args.target)
    release = prepare.identify(env, args.tag, args.image_tag)
    if not args.outputs_file:
        local_up(target)
    prepared = prepare.prepare(env, target, args.service, outputs_file=args.outputs_file, release=release)
    path = render.save(prepared.request, args.service, env, target)
    print(json.dumps(prepared.request, indent=2))
    print(f"rendered {args.service} for {env.name} (release {release.tag}), valid; saved {path}", file=sys.stderr)
    return 0
