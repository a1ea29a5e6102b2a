HELP = "validate the config documents of ENV (every environment when none is given)"
OPTIONS = ("env",)


def run(args) -> int:
    from tbctl import environments
    from tbctl.config import check, files

    envs = environments.resolve(args.env or "all", allow_all=True)
    loaded = check.require_valid([files.working_tree(env) for env in envs])
    count = sum(len(docs) for docs in loaded.values())
    print(f"config: {count} documents valid ({', '.join(env.name for env in envs)})")
    return 0
