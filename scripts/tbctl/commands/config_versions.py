HELP = "list NAME's versions in ENV's config store, newest first"
OPTIONS = ("env", "target", "json")


def add_arguments(parser) -> None:
    parser.add_argument("--name", help="strategy-config, risk-params, symbols-config or notification-config")


def run(args) -> int:
    import json

    from tbctl import environments, target
    from tbctl.config.envelope import short_commit
    from tbctl.config.versions import versions

    found = versions(environments.one(args.env), target.resolve(args.target), args.name)
    if args.json:
        print(json.dumps([dict(v.metadata, intact=v.intact, current=v.current) for v in found], indent=2))
        return 0
    print(f"{'version':>8}  {'timestamp (UTC)':<27}  {'commit':<18}  {'sha256':<12}  action")
    for item in found:
        meta = item.metadata
        action = meta.get("action", "push")
        if meta.get("restored_version"):
            action += f" of version {meta['restored_version']}"
        if meta.get("synced_from"):
            action += f" from {meta['synced_from']} version {meta.get('source_version')}"
        marks = (" (current)" if item.current else "") + ("" if item.intact else " CHECKSUM MISMATCH")
        print(f"{meta['version']:>8}  {meta['timestamp']:<27}  {short_commit(meta.get('git_commit')):<18}  "
              f"{meta['sha256'][:12]:<12}  {action}{marks}")
    return 0
