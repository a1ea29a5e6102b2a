HELP = "create what the backends need (state bucket, trading-bot registry); automatic on the local target"
OPTIONS = ("target",)


def run(args) -> int:
    from tbctl import target
    from tbctl.terraform import bootstrap

    where = target.resolve(args.target)
    if where.local:
        bootstrap.ensure(where)
    else:
        bootstrap.check_identity(where)
        bootstrap.apply(where)
    print(f"bootstrap of TARGET={where.name} is in place")
    return 0
