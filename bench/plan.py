"""Issue 2: `make plan ENV=prod` against bare `terraform plan` in the same folder, warm.

The overhead we add (make, Python start-up, bootstrap check, init skip, show -json)
must stay within 10% of terraform's own plan time; and a repeated plan must not
re-run `terraform init`.
"""

import os

from bench._harness import REPO, Figure

ENV_DIR = REPO / "infrastructure" / "environments" / "production"
BUILD = REPO / "build" / "local" / "production"


def figures(ctx):
    ctx.run("make", "plan", "ENV=prod")  # warm: emulator up, bootstrapped, initialised
    stamp = BUILD / "init.stamp"
    before = stamp.stat().st_mtime_ns
    ours = ctx.time("make", "plan", "ENV=prod")
    reinit = 0 if stamp.stat().st_mtime_ns == before else 1
    port = os.environ.get("LOCAL_PORT", "4599")
    bare_env = {
        "TF_DATA_DIR": str(BUILD / "tfdata"), "TF_CLI_CONFIG_FILE": str(REPO / "build" / "terraformrc"),
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
        "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "LOCAL_PORT": port,
    }
    bare = ctx.time("terraform", "plan", "-input=false", "-no-color", "-lock-timeout=0s",
                    f"-out={BUILD / 'bench.tfplan'}", cwd=ENV_DIR, env=bare_env)
    # make plan also saves `terraform show -json` of the plan (the comment and checkov read it):
    # a second terraform process that loads the provider again. Measured apart, so the
    # figure below shows what tbctl itself adds.
    show = ctx.time("terraform", "show", "-json", str(BUILD / "bench.tfplan"), cwd=ENV_DIR, env=bare_env)
    (BUILD / "bench.tfplan").unlink(missing_ok=True)
    return [
        Figure("make plan ENV=prod / terraform plan", ours / bare, "x", 1.10,
               note=f"{ours:.2f} s vs {bare:.2f} s, median of 5"),
        Figure("make plan ENV=prod / (terraform plan + terraform show -json)", ours / (bare + show), "x", 1.10,
               note=f"show -json {show:.2f} s, median of 5"),
        Figure("terraform init runs on a repeated make plan", reinit, "runs", 0),
    ]
