HELP = "show what the next deploy changes in ENV's task definition (exit 1 when it differs)"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    from tbctl.commands._release import add_release_arguments

    add_release_arguments(parser)


def run(args) -> int:
    from tbctl import diff, environments, prepare, target as targets
    from tbctl.commands._release import local_up

    env, target = environments.one(args.env), targets.resolve(args.target)
    release = prepare.identify(env, args.tag, args.image_tag)
    local_up(target)
    prepared = prepare.prepare(env, target, args.service, outputs_file=args.outputs_file, release=release)
    running, lines = diff.diff(target, prepared, env.short)
    if not lines:
        print(f"no difference: {running} matches the rendered {args.service} ({release.tag})")
        return 0
    print("\n".join(lines))
    print(f"{running} differs from the rendered {args.service} ({release.tag})")
    return 1
