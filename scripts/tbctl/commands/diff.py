HELP = "show what the next deploy changes in ENV's task definition (exit 1 when it differs)"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    from tbctl.commands._release import add_release_arguments

    add_release_arguments(parser)


def run(args) -> int:
    from tbctl import diff
    from tbctl.commands._release import prepared

    env, target, release = prepared(args, reads_aws=True)
    running, lines = diff.diff(target, release, env.short)
    name = f"the rendered {release.service} of release {release.release.describe()}"
    if not lines:
        print(f"no difference: {running} matches {name}")
        return 0
    print("\n".join(lines))
    print(f"{running} differs from {name}")
    return 1
