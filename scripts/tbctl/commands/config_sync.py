HELP = "copy FROM's current config to TO (never into production): back up, copy, verify"
OPTIONS = ("target", "dry_run")


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="source", help="the environment to copy from")
    parser.add_argument("--to", dest="destination", help="the environment to copy to (not production)")


def run(args) -> int:
    from tbctl import environments, target
    from tbctl.config.sync import refuse, sync

    source, destination = environments.one(args.source, "FROM"), environments.one(args.destination, "TO")
    refuse(source, destination)  # before anything else, even resolving the target
    report = sync(source, destination, target.resolve(args.target), dry_run=args.dry_run)
    if args.dry_run:
        return 0
    backup = f"backup at {report.backup_prefix}/" if report.backup_prefix else "nothing to back up"
    print(f"config-sync {source.short} -> {destination.short}: {len(report.copied)} copied "
          f"({', '.join(report.copied) or 'none'}), {len(report.unchanged)} unchanged, {backup}; checksums verified")
    return 0
