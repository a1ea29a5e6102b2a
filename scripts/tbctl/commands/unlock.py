HELP = "release ENV's state lock left by a terraform run that died (LOCK_ID from the lock error)"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    import os

    parser.add_argument("--lock-id", default=os.environ.get("LOCK_ID"), help="the lock's ID, as the lock error names it")


def run(args) -> int:
    from tbctl import environments, target, unlock

    env = environments.one(args.env)
    lock = unlock.unlock(env, target.resolve(args.target), args.lock_id)
    print(f"{env.name}: removed the lock of {lock.get('Who')} ({lock.get('Operation')} since {lock.get('Created')}); "
          f"re-run `make apply ENV={env.short}`")
    return 0
