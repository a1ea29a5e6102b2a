HELP = "check the caller's AWS identity and simulate the permissions `make plan` and `make deploy` need"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    parser.add_argument("--purpose", choices=("plan", "deploy"), default="deploy")


def run(args) -> int:
    from tbctl import environments, preflight, target

    if args.env:  # the check is the same for every environment, but a name given must be one
        environments.one(args.env)
    arn = preflight.run(target.resolve(args.target), args.purpose)
    print(f"preflight: {arn} may run `make {args.purpose}`")
    return 0
