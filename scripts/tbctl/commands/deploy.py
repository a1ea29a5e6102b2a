HELP = "apply, render, register (if changed), update ENV's service and wait for the rollout"
OPTIONS = ("env", "target", "dry_run", "json")


def add_arguments(parser) -> None:
    import os

    from tbctl.commands._release import add_release_arguments

    add_release_arguments(parser)
    parser.add_argument("--timeout", default=os.environ.get("TIMEOUT") or "600", help="seconds to wait for the rollout (default 600)")
    parser.add_argument("--skip-apply", action="store_true", help="the release step only: do not apply the infrastructure first")
    parser.add_argument("--no-wait", action="store_true", help="return once the service is updated; do not wait for the rollout")


def run(args) -> int:
    import json

    from tbctl import deploy, environments, target as targets

    env, target = environments.one(args.env), targets.resolve(args.target)
    options = deploy.Options(service=args.service, tag=args.tag, image_tag=args.image_tag,
                             timeout=deploy.check_timeout(args.timeout), dry_run=args.dry_run,
                             skip_apply=args.skip_apply, no_wait=args.no_wait, outputs_file=args.outputs_file)
    summary = deploy.deploy(env, target, options)
    if args.json:
        print(json.dumps(summary))
    return 0
