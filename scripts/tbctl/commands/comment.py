HELP = "render ENV's plan as a pull-request comment and print it; post it (update in place) when in a pull request"
OPTIONS = ("env", "target", "json", "dry_run")


def add_arguments(parser) -> None:
    parser.add_argument("--plan-json", help="a `terraform show -json` file (default: build/<target>/<env>/plan.json)")
    parser.add_argument("--plan-text", help="the human plan text (default: beside the plan JSON, <stem>.txt)")
    parser.add_argument("--checkov-json", help="checkov's JSON report (default: checkov.json beside the plan JSON)")
    parser.add_argument("--pr", help="pull-request number to post to (default: from GITHUB_EVENT_PATH in Actions)")


def run(args) -> int:
    import json
    import sys

    from tbctl import environments, target
    from tbctl.comment import build, post

    env = environments.one(args.env)
    where = target.resolve(args.target)
    number = post.pull_request(args.pr)
    github = post.GitHub.from_environment() if number and not args.dry_run else None  # fail before any work
    given = build.inputs(env, where.name, args.plan_json, args.plan_text, args.checkov_json)
    comment = build.build(given)
    if not args.plan_json:  # beside the plan it describes, for the CI artifact
        given.plan_json.with_name("plan.comment.md").write_text(comment.body)
    posted = github.upsert(number, comment.marker, comment.body) if github else None
    if args.json:
        print(json.dumps({"environment": env.name, "result": comment.result, "failed": comment.failed or comment.errored,
                          "incomplete": comment.incomplete, "counts": comment.counts,
                          "not_rendered": list(comment.unrendered), "characters": len(comment.body),
                          "dangers": [{"address": d.address, "action": d.action, "reason": d.reason,
                                       "paths": list(d.paths)} for d in comment.dangers],
                          "posted": posted and {"action": posted.action, "url": posted.url, "id": posted.comment_id},
                          "body": comment.body}, indent=2))
    else:
        print(comment.body)
    if posted:
        print(f"{posted.action} the {env.name} plan comment on pull request #{number}: {posted.url}", file=sys.stderr)
    elif number:
        print(f"dry run: not posted to pull request #{number}", file=sys.stderr)
    problem = comment.problem()
    if problem:  # after printing and posting: the comment says what failed, the exit code fails the job
        raise problem
    return 0
