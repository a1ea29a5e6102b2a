HELP = "ENV's running revision, its git tag and commit, task counts, rollout state"
OPTIONS = ("env", "target", "json")


def add_arguments(parser) -> None:
    parser.add_argument("--outputs", dest="outputs_file", metavar="FILE", help="Terraform outputs from FILE instead of the state")


def run(args) -> int:
    import json

    from tbctl import environments, outputs_source, status, target as targets
    from tbctl.commands._release import local_up

    env, target = environments.one(args.env), targets.resolve(args.target)
    local_up(target)
    state = status.status(target, outputs_source.load(env, target, args.outputs_file), env)
    print(json.dumps(state, indent=2) if args.json else "\n".join(status.lines(state)))
    return 0
