HELP = "ENV's running revision, its git tag and commit, task counts, rollout state (ENV=all: every environment)"
OPTIONS = ("env", "target", "json")


def add_arguments(parser) -> None:
    parser.add_argument("--outputs", dest="outputs_file", metavar="FILE", help="Terraform outputs from FILE instead of the state")


def run(args) -> int:
    import json

    from tbctl import environments, outputs_source, status, target as targets
    from tbctl.commands._release import local_up
    from tbctl.errors import UserError

    envs, target = environments.resolve(args.env, allow_all=True), targets.resolve(args.target)
    if len(envs) > 1 and args.outputs_file:
        raise UserError("--outputs holds one environment's outputs, and ENV=all names every environment",
                        "pass ENV=dev or ENV=prod with --outputs")
    local_up(target)
    states, failed = [], []
    for env in envs:
        try:
            states.append(status.status(target, outputs_source.load(env, target, args.outputs_file), env))
        except UserError as error:
            if len(envs) == 1:
                raise
            # One environment that cannot be read does not hide the others; it is reported after them.
            failed.append((env, error))
            states.append({"environment": env.name, "error": str(error)})
    if args.json:
        print(json.dumps(states if len(envs) > 1 else states[0], indent=2))
    else:
        shown = [line for state in states if "error" not in state for line in status.lines(state)]
        if shown:
            print("\n".join(shown))
    if failed:
        fixes = list(dict.fromkeys(error.fix for _, error in failed if error.fix))
        raise UserError("; ".join(f"no status of {env.name}: {error.problem}" for env, error in failed), "; ".join(fixes) or None)
    return 0
