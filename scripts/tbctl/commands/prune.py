HELP = "deregister ENV's task-definition revisions beyond the newest KEEP, never the one in use"
OPTIONS = ("env", "target", "dry_run")


def add_arguments(parser) -> None:
    parser.add_argument("--keep", default="10", help="how many of the newest revisions to keep (default 10)")
    parser.add_argument("--outputs", dest="outputs_file", metavar="FILE", help="Terraform outputs from FILE instead of the state")


def run(args) -> int:
    from tbctl import environments, outputs_source, prune, revisions, target as targets
    from tbctl.commands._release import local_up
    from tbctl.errors import UserError

    env, target = environments.one(args.env), targets.resolve(args.target)
    if not str(args.keep).strip().isdigit():
        raise UserError(f"KEEP='{args.keep}' is not a whole number", "pass KEEP=<n>, e.g. KEEP=10")
    local_up(target)
    outputs = outputs_source.load(env, target, args.outputs_file)
    remove, protected = prune.candidates(target, outputs, int(args.keep), env.short)
    for arn in protected:
        print(f"kept {revisions.label(arn)} (in use or Terraform's baseline)")
    if not remove:
        print(f"nothing to prune: {outputs['family']} has no unused revision beyond the newest {args.keep}")
        return 0
    verb = "would deregister" if args.dry_run else "deregistered"
    if not args.dry_run:
        prune.deregister(target, remove)
    print(f"{verb} {len(remove)} revision(s): {', '.join(revisions.label(a) for a in remove)}")
    return 0
