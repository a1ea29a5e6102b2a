HELP = "move ENV's service to the revision of a git tag (--to TAG) or the one before (--to previous)"
OPTIONS = ("env", "target", "dry_run")


def add_arguments(parser) -> None:
    import os

    parser.add_argument("--to", default=os.environ.get("TO"), help="a git tag, or `previous`")
    parser.add_argument("--timeout", default=os.environ.get("TIMEOUT") or "600", help="seconds to wait for the rollout")
    parser.add_argument("--no-wait", action="store_true", help="return once the service is updated")
    parser.add_argument("--outputs", dest="outputs_file", metavar="FILE", help="Terraform outputs from FILE instead of the state")


def run(args) -> int:
    from tbctl import deploy, environments, outputs_source, rollback, target as targets
    from tbctl.commands._release import local_up

    env, target = environments.one(args.env), targets.resolve(args.target)
    timeout = deploy.check_timeout(args.timeout)
    local_up(target)
    outputs = outputs_source.load(env, target, args.outputs_file)
    rollback.rollback(target, outputs, (args.to or "").strip(), env.short, args.dry_run, args.no_wait, timeout)
    return 0
