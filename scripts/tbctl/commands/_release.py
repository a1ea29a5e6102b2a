"""Options shared by the release commands (render, diff, deploy); defined once here."""

import os


def add_release_arguments(parser) -> None:
    parser.add_argument("--tag", default=os.environ.get("TAG") or None,
                        help="git tag naming the release (default: HEAD's tag; dev: else dev-<shortsha>)")
    parser.add_argument("--image-tag", default=os.environ.get("IMAGE_TAG") or None,
                        help="image tag to run (default: the release's git tag)")
    parser.add_argument("--service", default="trading-bot", help="the template task-definitions/<service>.json.j2")
    parser.add_argument("--outputs", dest="outputs_file", metavar="FILE",
                        help="read Terraform outputs from FILE (`terraform output -json`) instead of the state")


def local_up(target) -> None:
    """The local target starts the emulator on demand, before anything reads AWS."""
    if target.local:
        from tbctl.emulator import control

        control.up()


def prepared(args, reads_aws: bool):
    """(env, target, prepared release) from the shared options; git is checked before AWS is touched."""
    import sys

    from tbctl import environments, paths, prepare, release as releases, target as targets

    env, target = environments.one(args.env), targets.resolve(args.target)
    # A preview: production's clean-and-tagged rule is enforced by deploy, here only noted.
    release, not_yet = releases.preview(paths.root(), env.production, args.tag, args.image_tag)
    if not_yet:
        print(f"note: {not_yet}; `make deploy ENV={env.short}` would refuse it", file=sys.stderr)
    if reads_aws or not args.outputs_file:
        local_up(target)
    return env, target, prepare.prepare(env, target, args.service, outputs_file=args.outputs_file, release=release)
