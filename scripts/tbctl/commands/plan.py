HELP = "plan ENV (dev, prod or all); saves the plan, its JSON and text under build/<target>/<env>/"
OPTIONS = ("env", "target")


def run(args) -> int:
    from tbctl import environments, target
    from tbctl.terraform import plan

    envs = environments.resolve(args.env, allow_all=True)
    results = plan.run_many(envs, target.resolve(args.target))
    for result in results:
        print(f"{result.env.name}: {result.summary} (saved: build/{args.target}/{result.env.name}/plan.tfplan)")
    return 0
