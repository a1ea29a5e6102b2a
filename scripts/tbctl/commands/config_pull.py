HELP = "download NAME from ENV's config store, verify its checksum and print the document"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    parser.add_argument("--name", help="strategy-config, risk-params, symbols-config or notification-config")


def run(args) -> int:
    import sys

    from tbctl import environments, target
    from tbctl.config import documents
    from tbctl.config.envelope import short_commit
    from tbctl.config.pull import pull

    stored = pull(environments.one(args.env), target.resolve(args.target), args.name)
    meta = stored.metadata
    print(f"{meta['name']} version {meta['version']} ({meta['timestamp']}, commit {short_commit(meta['git_commit'])}, "
          f"sha256 {meta['sha256'][:12]}… verified)", file=sys.stderr)
    sys.stdout.write(documents.render(stored.document))
    return 0
