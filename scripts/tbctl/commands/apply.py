HELP = "apply ENV: the plan saved by `make plan` if still valid, else plan and apply"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    parser.add_argument("--confirm", help="`production` to apply production on AWS")


def run(args) -> int:
    from tbctl import environments, target
    from tbctl.terraform import apply

    env = environments.one(args.env)
    changed = apply.run(env, target.resolve(args.target), confirm=args.confirm)
    print(f"{env.name}: {'applied' if changed else 'already up to date, nothing applied'}")
    return 0
