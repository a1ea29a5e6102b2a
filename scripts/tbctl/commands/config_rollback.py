HELP = "make version TO of NAME current again in ENV (as a new version) and verify it"
OPTIONS = ("env", "target", "dry_run")


def add_arguments(parser) -> None:
    parser.add_argument("--name", help="strategy-config, risk-params, symbols-config or notification-config")
    parser.add_argument("--to", help="the version number to restore (see config-versions)")


def run(args) -> int:
    from tbctl import environments, target
    from tbctl.config.rollback import rollback

    meta = rollback(environments.one(args.env), target.resolve(args.target), args.name, args.to, dry_run=args.dry_run)
    if not args.dry_run:
        print(f"config-rollback: {meta['name']} is at version {meta['version']} (sha256 {meta['sha256'][:12]}…)")
    return 0
