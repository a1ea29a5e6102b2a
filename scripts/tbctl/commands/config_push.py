HELP = "validate ENV's config documents and upload the ones that changed"
OPTIONS = ("env", "target", "dry_run", "json")


def run(args) -> int:
    import json

    from tbctl import environments, target
    from tbctl.config.push import push

    env = environments.one(args.env)
    outcomes = push(env, target.resolve(args.target), dry_run=args.dry_run)
    changed = [o.name for o in outcomes if o.changed]
    if args.json:
        print(json.dumps([o.__dict__ for o in outcomes], indent=2))
    elif args.dry_run:
        print(f"config-push {env.short}: would upload {', '.join(changed) or 'nothing'} [dry run]")
    else:
        print(f"config-push {env.short}: {len(changed)} changed ({', '.join(changed) or 'none'}), "
              f"{len(outcomes) - len(changed)} unchanged")
    return 0
