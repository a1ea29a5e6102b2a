HELP = "check the caller's AWS identity and simulate the permissions `make plan` and `make deploy` need"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    parser.add_argument("--purpose", choices=("plan", "deploy"), default="deploy")


def run(args) -> int:
    from tbctl import preflight, target

    arn = preflight.run(target.resolve(args.target), args.purpose)
    print(f"preflight: {arn} may run `make {args.purpose}`")
    return 0
