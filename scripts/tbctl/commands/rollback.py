HELP = "move ENV's service to the revision of a git tag (--to TAG) or the one before (--to previous)"
OPTIONS = ("env", "target", "dry_run")


def add_arguments(parser) -> None:
    import os

    parser.add_argument("--to", default=os.environ.get("TO"), help="a git tag, or `previous`")
    parser.add_argument("--timeout", default=os.environ.get("TIMEOUT") or "600", help="seconds to wait for the rollout")
    parser.add_argument("--no-wait", action="store_true", help="return once the service is updated")
    parser.add_argument("--outputs", dest="outputs_file", metavar="FILE", help="Terraform outputs from FILE instead of the state")


def run(args) -> int:
    from tbctl import deploy, environments, outputs_source, revisions, rollback, service, target as targets, wait
    from tbctl.commands._release import local_up

    env, target = environments.one(args.env), targets.resolve(args.target)
    timeout = deploy.check_timeout(args.timeout)
    local_up(target)
    outputs = outputs_source.load(env, target, args.outputs_file)
    arn, svc = rollback.choose(target, outputs, args.to, env.short)
    label, cluster, name = revisions.label(arn), outputs["cluster_name"], outputs["service_name"]
    if service.settled_on(svc, arn):
        print(f"service {name} already runs {label}; nothing to do")
        return 0
    if args.dry_run:
        print(f"would move service {name} from {revisions.label(svc['taskDefinition'])} to {label}; dry run: nothing changed")
        return 0
    deployment = service.update(target, cluster, name, arn)
    print(f"service {name}: {revisions.label(svc['taskDefinition'])} -> {label} (rollback to {args.to}, nothing registered)")
    if not args.no_wait:
        wait.wait(target, cluster, name, arn, deployment.get("id"), env.short, timeout)
        print(f"rolled back {env.name} to {label}, rollout COMPLETED")
    return 0
