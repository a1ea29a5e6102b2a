HELP = "terraform fmt/validate, checkov on the Terraform and on the plans, config documents"
OPTIONS = ("env", "target")


def add_arguments(parser) -> None:
    parser.add_argument("--checkov", default=".venv-checkov/bin/checkov", help="path of the checkov executable")
    parser.add_argument("--no-plans", action="store_true", help="skip planning and scanning the plans")


def run(args) -> int:
    import importlib.util

    from tbctl import environments, paths, target
    from tbctl.errors import UserError
    from tbctl.lint import check_format, checkov, validate
    from tbctl.terraform import plan
    from tbctl.terraform.workspace import Workspace

    envs = environments.resolve(args.env or "all", allow_all=True)
    where = target.resolve(args.target)
    check_format()
    print("terraform fmt: ok")
    roots = [("bootstrap", paths.bootstrap_dir())] + [(env.name, paths.environment_dir(env.name)) for env in envs]
    for name, source in roots:
        validate(name, source)
        print(f"terraform validate {name}: ok")
    failures = []
    code_result = checkov(args.checkov, ["-d", "infrastructure", "--framework", "terraform"], paths.build() / "checkov-terraform.json")
    print(code_result.line("terraform"))
    failures += code_result.failures
    if not args.no_plans:
        for env in envs:
            workspace = Workspace.for_environment(env, where)
            if not plan.is_current(workspace):  # scan a plan of this configuration, never an old one
                plan.run(env, where, echo=False)
            result = checkov(args.checkov, ["-f", str(workspace.plan_json), "--framework", "terraform_plan",
                                            # infrastructure/, not the repo: test fixtures reuse resource names
                                            "--repo-root-for-plan-enrichment", str(paths.root() / "infrastructure")],
                             workspace.build / "checkov.json")
            print(result.line(f"plan {env.name}"))
            failures += result.failures
    if importlib.util.find_spec("tbctl.commands.config_check"):
        import argparse

        from tbctl.commands import config_check

        only = None if args.env in (None, "", "all") else args.env
        config_check.run(argparse.Namespace(env=only, target=args.target, json=False))
    if failures:
        for failure in failures:
            print(f"  failed: {failure}")
        raise UserError(f"checkov found {len(failures)} failed check(s)",
                        "fix them, or skip inline with `#checkov:skip=<id>:<reason>` and add the reason to the README table")
    return 0
