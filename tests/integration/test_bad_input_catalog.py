"""The bad-input catalog: every case through the real command line (`make ...`).

Each row is something a user can get wrong. The promise is the same for all:
a non-zero exit, exactly one `error: <problem>. Fix: <fix>` line on stderr
(make's own `make: ***` line aside), no traceback, and nothing changed: the
whole local AWS (moto's model dump, minus the lock file Terraform takes and
releases) is identical before and after, plus the row's own local check.
The README's catalog table is this table.
"""

import json
import os
import socket
import subprocess
import time
import urllib.request
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import copy_repo, git, make, one_error_line
from fakes.aws_iam import FakeIam

pytestmark = pytest.mark.integration

TEMPLATE = "task-definitions/trading-bot.json.j2"
DEV_MAIN = "infrastructure/environments/development/main.tf"
RENDERED = "build/local/development/task-definitions/trading-bot.json"
CALLER = "arn:aws:sts::111122223333:assumed-role/deployer/laptop"


@dataclass
class Ctx:
    """What a row's set-up and checks work with."""
    repo: Path
    emulator: object
    tmp: Path
    stack: ExitStack
    values: dict = field(default_factory=dict)  # fills {placeholders} in args and words
    env: dict = field(default_factory=dict)  # None removes a variable


@dataclass
class Case:
    name: str
    args: list[str]
    words: list[str]  # each must appear in the error line
    setup: Callable[[Ctx], None] | None = None
    unchanged: Callable[[Ctx], None] | None = None  # the row's own "nothing changed" check


# -- set-ups ---------------------------------------------------------------------------------------------------

def _edit(path: str, old: str, new: str):
    def setup(ctx: Ctx) -> None:
        file = ctx.repo / path
        assert old in file.read_text(), f"{path} no longer contains {old!r}: update the catalog row"
        file.write_text(file.read_text().replace(old, new, 1))
    return setup


def _no_terraform(ctx: Ctx) -> None:
    dirs = [d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d) / "terraform").exists()]
    ctx.env.update(PATH=os.pathsep.join(dirs), TERRAFORM="/nonexistent/terraform")


def _port_taken(ctx: Ctx) -> None:
    listener = ctx.stack.enter_context(socket.socket())
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    ctx.values["port"] = listener.getsockname()[1]


def _aws_env(ctx: Ctx, fake: FakeIam, **credentials) -> None:
    """TARGET=aws with every AWS setting of this machine removed; any request goes to the loopback fake."""
    ctx.env.update({name: None for name in os.environ if name.startswith("AWS_")})
    ctx.env.update(AWS_ENDPOINT_URL=fake.endpoint, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                   AWS_EC2_METADATA_DISABLED="true", AWS_REGION="us-east-1", TBCTL_MAX_ATTEMPTS="1", **credentials)
    ctx.values["fake"] = fake


def _no_credentials(ctx: Ctx) -> None:
    fake = FakeIam(CALLER)
    ctx.stack.callback(fake.close)
    _aws_env(ctx, fake)


def _expired_credentials(ctx: Ctx) -> None:
    fake = FakeIam(CALLER, error="ExpiredToken")
    ctx.stack.callback(fake.close)
    _aws_env(ctx, fake, AWS_ACCESS_KEY_ID="ASIATEST", AWS_SECRET_ACCESS_KEY="secret", AWS_SESSION_TOKEN="expired")


def _dirty_tagged_tree(ctx: Ctx) -> None:
    git(ctx.repo, "tag", "v1")
    (ctx.repo / "Makefile").write_text((ctx.repo / "Makefile").read_text() + "\n# a local edit\n")


def _tagged(*tags: str):
    def setup(ctx: Ctx) -> None:
        for tag in tags:
            git(ctx.repo, "tag", tag)
    return setup


def _image_tag_in_the_shell(ctx: Ctx) -> None:
    git(ctx.repo, "tag", "v1")
    ctx.env["IMAGE_TAG"] = "dev-0123456"


def _tag_on_an_older_commit(ctx: Ctx) -> None:
    git(ctx.repo, "tag", "v1")
    ctx.values["old"] = git(ctx.repo, "rev-parse", "--short=7", "HEAD")
    (ctx.repo / "RELEASE").write_text("v2\n")
    git(ctx.repo, "add", "RELEASE")
    git(ctx.repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "v2")
    git(ctx.repo, "tag", "v2")


def _malformed_plan(ctx: Ctx) -> None:
    ctx.values["plan"] = ctx.tmp / "plan.json"
    ctx.values["plan"].write_text('{"format_version": "1.2", "resource_changes": [}')


def _plan_file(fixture: str | None = None, content: bytes | None = None):
    """PLAN_JSON={plan}: a real plan fixture (tests/fixtures/plans), or bytes of a row's own."""
    def setup(ctx: Ctx) -> None:
        ctx.values["plan"] = ctx.tmp / "plan.json"
        data = (ctx.repo / "tests/fixtures/plans" / fixture).read_bytes() if fixture else content
        ctx.values["plan"].write_bytes(data)
    return setup


def _plan_then_change(ctx: Ctx) -> None:
    done = make(ctx.repo, "plan", "ENV=dev", emulator=ctx.emulator)
    assert done.returncode == 0, done.stderr
    main = ctx.repo / DEV_MAIN
    main.write_text(main.read_text() + "\n# edited after the plan\n")


STATE_BUCKET = "trading-bot-tfstate-123456789012"
DEV_LOCK = "trading-bot/development.tfstate.tflock"


def _held_lock(ctx: Ctx) -> None:
    """Another run (alice's) holds development's state lock; removed again after the row."""
    lock_id = "5b7c1e2a-0000-4000-8000-00000000a11c"
    ctx.values["lock_id"] = lock_id
    s3 = ctx.emulator.client("s3")
    s3.put_object(Bucket=STATE_BUCKET, Key=DEV_LOCK, Body=json.dumps({
        "ID": lock_id, "Operation": "OperationTypeApply", "Info": "", "Who": "alice@laptop", "Version": "1.11.4",
        "Created": "2026-01-01T09:00:00Z", "Path": f"{STATE_BUCKET}/trading-bot/development.tfstate"}).encode())
    ctx.stack.callback(s3.delete_object, Bucket=STATE_BUCKET, Key=DEV_LOCK)


# -- the row's own checks -----------------------------------------------------------------------------------

def _nothing_rendered(ctx: Ctx) -> None:
    assert not (ctx.repo / RENDERED).exists(), "a definition that failed validation must not be saved"


def _no_emulator_started(ctx: Ctx) -> None:
    port = ctx.values["port"]
    assert not (ctx.repo / f"build/local/emulator-{port}.pid").exists()
    with pytest.raises(OSError):  # still only our silent listener on the port: nothing answers HTTP
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=1)


def _no_aws_call(ctx: Ctx) -> None:
    assert ctx.values["fake"].calls == []


def _only_the_identity_check(ctx: Ctx) -> None:
    assert [call.get("Action") for call in ctx.values["fake"].calls] == ["GetCallerIdentity"]


def _saved_plan_kept(ctx: Ctx) -> None:
    assert (ctx.repo / "build/local/development/plan.tfplan").exists(), "the refused plan stays for inspection"


# -- config store set-ups: buckets of the row's own, so a write would show in the model ----------------------------

def _config_buckets(ctx: Ctx) -> None:
    template = f"catalog-{uuid.uuid4().hex[:10]}-{{env}}"
    s3 = ctx.emulator.client("s3")
    for short in ("dev", "prod"):
        s3.create_bucket(Bucket=template.format(env=short))
        s3.put_bucket_versioning(Bucket=template.format(env=short), VersioningConfiguration={"Status": "Enabled"})
    ctx.env["TBCTL_CONFIG_BUCKET"] = ctx.values["buckets"] = template


def _pushed(ctx: Ctx, env: str) -> None:
    done = make(ctx.repo, "config-push", f"ENV={env}", emulator=ctx.emulator, env={"TBCTL_CONFIG_BUCKET": ctx.values["buckets"]})
    assert done.returncode == 0, done.stderr


def _store_versions(ctx: Ctx) -> dict:
    s3 = ctx.emulator.client("s3")
    return {short: sorted((item["Key"], item["VersionId"]) for item in
                          s3.list_object_versions(Bucket=ctx.values["buckets"].format(env=short)).get("Versions", []))
            for short in ("dev", "prod")}


def _production_config_edited_after_push(ctx: Ctx) -> None:
    _config_buckets(ctx)
    _pushed(ctx, "prod")
    _edit("config/production/risk-params.json", '"max_positions": 3', '"max_positions": 30')(ctx)
    ctx.values["store"] = _store_versions(ctx)


def _oversized_document(ctx: Ctx) -> None:
    _config_buckets(ctx)
    path = ctx.repo / "config/development/symbols-config.json"
    text = path.read_bytes().rstrip()
    path.write_bytes(text + b" " * (1_100_000 - len(text)))  # still valid JSON: only its size is wrong
    ctx.values["store"] = _store_versions(ctx)


def _only_production_pushed(ctx: Ctx) -> None:
    _config_buckets(ctx)
    _pushed(ctx, "prod")
    ctx.values["store"] = _store_versions(ctx)


def _config_store_unchanged(ctx: Ctx) -> None:
    """Every object version of both stores as the set-up left them: no new version, nothing removed."""
    assert _store_versions(ctx) == ctx.values["store"]


def _other_runs_lock_still_held(ctx: Ctx) -> None:
    body = ctx.emulator.client("s3").get_object(Bucket=STATE_BUCKET, Key=DEV_LOCK)["Body"].read()
    assert json.loads(body)["ID"] == ctx.values["lock_id"], "a refused apply leaves the other run's lock alone"


# -- housekeeping and messages: set-ups and checks ------------------------------------------------------------

def _mistyped_profile(ctx: Ctx) -> None:
    fake = FakeIam(CALLER)
    ctx.stack.callback(fake.close)
    _aws_env(ctx, fake, AWS_PROFILE="tradng")


def _build_is_a_file(ctx: Ctx) -> None:
    (ctx.repo / "build").write_text("my notes")


def _build_unwritable(ctx: Ctx) -> None:
    """build/ that not even root may write into (immutable), made writable again when the row ends."""
    build = ctx.repo / "build"
    build.mkdir()
    if subprocess.run(["chattr", "+i", str(build)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    ctx.stack.callback(lambda: subprocess.run(["chattr", "-i", str(build)]))


def _build_still_empty(ctx: Ctx) -> None:
    assert list((ctx.repo / "build").iterdir()) == []


def _build_file_kept(ctx: Ctx) -> None:
    assert (ctx.repo / "build").read_text() == "my notes"


def _state_lock(ctx: Ctx) -> dict | None:
    s3 = ctx.emulator.client("s3")
    try:
        body = s3.get_object(Bucket="trading-bot-tfstate-123456789012", Key="trading-bot/development.tfstate.tflock")["Body"]
    except s3.exceptions.NoSuchKey:
        return None
    return json.loads(body.read())


def _live_lock_holder(ctx: Ctx) -> None:
    """A real terraform holding development's state lock on this machine: `terraform console` in tbctl's workspace."""
    done = make(ctx.repo, "plan", "ENV=dev", emulator=ctx.emulator)  # tbctl's working data for development
    assert done.returncode == 0, done.stderr
    build = ctx.repo / "build"
    env = dict(os.environ, TF_DATA_DIR=str(build / "local/development/tfdata"), TF_CLI_CONFIG_FILE=str(build / "terraformrc"),
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1", CHECKPOINT_DISABLE="1")
    console = subprocess.Popen(["terraform", "console"], cwd=ctx.repo / "infrastructure/environments/development", env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def release():
        console.stdin.close()  # console ends on end of input and releases its lock
        console.wait(timeout=60)
    ctx.stack.callback(release)
    deadline = time.monotonic() + 60
    while not _state_lock(ctx):
        assert time.monotonic() < deadline, "terraform console never took the lock"
        time.sleep(0.2)
    ctx.values["lock"] = _state_lock(ctx)
    ctx.values.update(lock_id=ctx.values["lock"]["ID"], pid=console.pid)


def _lock_still_held(ctx: Ctx) -> None:
    assert _state_lock(ctx) == ctx.values["lock"]


CASES = [
    Case("unknown ENV", ["plan", "ENV=staging"],
         ["unknown environment 'staging'. Fix: use ENV=", "dev, development, prod, production"]),
    Case("unknown TARGET", ["deploy", "ENV=dev", "TARGET=gcp"], ["unknown target 'gcp'", "TARGET=local"]),
    Case("missing terraform", ["plan", "ENV=dev"], ["terraform is not installed", "TERRAFORM="], _no_terraform),
    Case("emulator port taken", ["plan", "ENV=dev", "LOCAL_PORT={port}"],
         ["port {port} is in use by another program", "LOCAL_PORT="], _port_taken, _no_emulator_started),
    Case("missing AWS credentials", ["plan", "ENV=dev", "TARGET=aws"], ["no AWS credentials found", "AWS_PROFILE"],
         _no_credentials, _no_aws_call),
    Case("expired AWS credentials", ["deploy", "ENV=dev", "TARGET=aws"], ["the AWS credentials have expired"],
         _expired_credentials, _only_the_identity_check),
    Case("template syntax error", ["render", "ENV=dev"], ["trading-bot.json.j2 line 7", "syntax error"],
         _edit(TEMPLATE, "{{ tf.family | tojson }}", "{{ tf.family | tojson }"), _nothing_rendered),
    Case("undefined template variable", ["render", "ENV=dev"], ["'tf.cpuu' is undefined", "line 10"],
         _edit(TEMPLATE, "tf.cpu ", "tf.cpuu "), _nothing_rendered),
    Case("invalid Fargate CPU/memory pair in the template", ["render", "ENV=dev"],
         ["cpu 256 with memory 4096 is not a valid Fargate pair"],
         _edit(TEMPLATE, '"memory": {{ tf.memory | string | tojson }}', '"memory": "4096"'), _nothing_rendered),
    Case("invalid Fargate CPU/memory pair in Terraform", ["plan", "ENV=dev"],
         ["terraform plan failed for development", "Invalid value for variable"],
         _edit(DEV_MAIN, "memory = 512", "memory = 4096")),
    Case("secret in plain environment", ["render", "ENV=dev"], ["'EXCHANGE_API_TOKEN' looks like a secret", "secrets"],
         _edit(TEMPLATE, '{"name": "RELEASE"', '{"name": "EXCHANGE_API_TOKEN", "value": "x"}, {"name": "RELEASE"'),
         _nothing_rendered),
    Case("production deploy from a dirty tree", ["deploy", "ENV=prod"], ["clean working tree"], _dirty_tagged_tree),
    Case("production deploy from an untagged commit", ["deploy", "ENV=prod"], ["production deploys only a tagged commit", "has no tag", "git tag"]),
    Case("unknown rollback tag", ["rollback", "ENV=dev", "TO=v9"],
         ["no revision of trading-bot-dev is tagged 'v9'", "tags with revisions: v1"]),
    Case("malformed plan JSON given to make comment", ["comment", "ENV=dev", "PLAN_JSON={plan}"],
         ["{plan} is not valid JSON", "terraform show -json"], _malformed_plan),
    Case("invalid config document", ["config-push", "ENV=dev"],
         ["development/strategy-config.json", "stop_loss_pct: 1.5 is greater than the maximum of 1"],
         _edit("config/development/strategy-config.json", '"stop_loss_pct": 0.03', '"stop_loss_pct": 1.5')),
    Case("config sync into production", ["config-sync", "FROM=dev", "TO=prod"],
         ["config sync into production is refused", "config-push ENV=prod"]),
    Case("stale saved plan", ["apply", "ENV=dev"], ["saved plan of development is stale", "make plan ENV=dev"],
         _plan_then_change, _saved_plan_kept),
    # -- task definitions: what RegisterTaskDefinition refuses is refused at render ------------------------------
    Case("container port outside 1-65535", ["render", "ENV=dev"], ["containerPort 70000 is outside 1-65535", "ports 1-65535"],
         _edit(TEMPLATE, '"portMappings": [{"containerPort": {{ tf.container_port | int }}, "hostPort": {{ tf.container_port | int }}',
               '"portMappings": [{"containerPort": 70000, "hostPort": 70000'), _nothing_rendered),
    Case("duplicate container name", ["render", "ENV=dev"], ["container name 'trading-bot' is used twice", "unique name"],
         _edit(TEMPLATE, '"containerDefinitions": [',
               '"containerDefinitions": [{"name": "trading-bot", "image": {{ release.image | tojson }}, "essential": false},'),
         _nothing_rendered),
    Case("container memory above the task's", ["render", "ENV=dev"],
         ["container trading-bot memory 4096 MiB is above the task's 512 MiB", "within the task's memory"],
         _edit(TEMPLATE, '"essential": true,', '"essential": true, "memory": 4096,'), _nothing_rendered),
    Case("secrets without an execution role", ["render", "ENV=dev"], ["has secrets, which need executionRoleArn", "executionRoleArn"],
         _edit(TEMPLATE, '"executionRoleArn": {{ tf.execution_role_arn | tojson }},', ''), _nothing_rendered),
    Case("fields copied from describe-task-definition", ["render", "ENV=dev"],
         ["is describe-task-definition output: delete revision, status", "keep the request's fields only"],
         _edit(TEMPLATE, '"family": {{ tf.family | tojson }},', '"family": {{ tf.family | tojson }}, "revision": 3, "status": "ACTIVE",'),
         _nothing_rendered),
    # config store: production from committed files only, 1 MB per document, sync keeps what is the destination's
    Case("production config push with an uncommitted edit", ["config-push", "ENV=prod"],
         ["config/production/ has uncommitted changes (risk-params.json modified)", "published only from committed files",
          "git commit"], _production_config_edited_after_push, _config_store_unchanged),
    Case("config document over 1 MB", ["config-push", "ENV=dev"],
         ["development/symbols-config.json is 1,100,000 bytes", "limit of 1 MB (1,048,576 bytes) per document"],
         _oversized_document, _config_store_unchanged),
    Case("config sync into an environment without its own notification settings", ["config-sync", "FROM=prod", "TO=dev"],
         ["development has no notification-config of its own", "never copied from production", "make config-push ENV=dev"],
         _only_production_pushed, _config_store_unchanged),
    Case("config sync from an unknown environment", ["config-sync", "FROM=staging", "TO=dev"],
         ["unknown environment 'staging' in FROM", "use FROM= one of"]),
    # -- release identity: production runs exactly what git names; TAG= names a tag on HEAD --
    Case("identity: production deploy of another image", ["deploy", "ENV=prod", "IMAGE_TAG=dev-0123456"],
         ["IMAGE_TAG=dev-0123456 would run another image under the name of release v1", "drop IMAGE_TAG="], _tagged("v1")),
    Case("identity: production deploy with IMAGE_TAG exported in the shell", ["deploy", "ENV=prod"],
         ["IMAGE_TAG=dev-0123456 would run another image", "drop IMAGE_TAG="], _image_tag_in_the_shell),
    Case("identity: TAG of another commit", ["deploy", "ENV=dev", "TAG=v1"],
         ["TAG=v1 points at commit {old}, not at HEAD", "git checkout v1"], _tag_on_an_older_commit),
    Case("identity: TAG that is no tag", ["render", "ENV=dev", "TAG=v9"],
         ["TAG=v9 is not a tag in this repository (HEAD has no tag)", "drop TAG="], None, _nothing_rendered),
    Case("identity: several tags on HEAD and none a version", ["deploy", "ENV=prod"],
         ["HEAD carries several tags and none is a version (candidate, stable)", "TAG="], _tagged("stable", "candidate")),
    Case("identity: production git tag that cannot be an image tag", ["deploy", "ENV=prod"],
         ["git tag 'release/1.2' cannot be an image tag", "git tag v1.2.3"], _tagged("release/1.2")),
    # plan comment: the plan must be this environment's, finished, and readable (Windows encodings are read)
    Case("another environment's plan given to make comment", ["comment", "ENV=dev", "PLAN_JSON={plan}"],
         ["{plan} is a plan of production, not development", "make plan ENV=dev", "ENV=prod"],
         _plan_file("replace.json")),
    Case("a plan that names no environment given to make comment", ["comment", "ENV=dev", "PLAN_JSON={plan}"],
         ["{plan} does not say which environment it plans", "no `environment` output"],
         _plan_file(content=json.dumps({"format_version": "1.2", "resource_changes": []}).encode())),
    Case("an unfinished (-target) plan given to make comment", ["comment", "ENV=dev", "PLAN_JSON={plan}"],
         ["the plan for development is not complete", "`complete: false`", "make plan ENV=dev"],
         _plan_file("targeted.json")),
    Case("a plan in the old JSON format given to make comment", ["comment", "ENV=dev", "PLAN_JSON={plan}"],
         ["plan format 0.1, written by Terraform 0.12.31", "Terraform 1.1 and later", "Terraform 1.10 or later"],
         _plan_file(content=json.dumps({"format_version": "0.1", "terraform_version": "0.12.31",
                                        "resource_changes": []}).encode())),
    Case("a plan file that is neither UTF-8 nor UTF-16", ["comment", "ENV=dev", "PLAN_JSON={plan}"],
         ["neither UTF-8 nor UTF-16", "re-save it as UTF-8"], _plan_file(content=b'{"format_version": "\xff\xfe\x80"}')),
    Case("a binary plan given to make comment", ["comment", "ENV=dev", "PLAN_JSON={plan}"],
         ["is a binary plan file", "terraform show -json plan.tfplan > plan.json"],
         _plan_file(content=b"PK\x03\x04\x14\x00\x08\x00tfplan")),
    # README claims: the catalog table's rows that no case ran yet
    Case("state locked by another run", ["apply", "ENV=dev"],
         ["the state of development is locked by alice@laptop", "OperationTypeApply", "{lock_id}", "make unlock"],
         _held_lock, _other_runs_lock_still_held),
    # -- housekeeping and messages
    Case("mistyped AWS_PROFILE", ["plan", "ENV=dev", "TARGET=aws"],
         ["the AWS profile 'tradng' is not in your AWS config files", "unset AWS_PROFILE"], _mistyped_profile, _no_aws_call),
    Case("build is a file", ["plan", "ENV=dev"], ["build is a file", "move or delete the file build"],
         _build_is_a_file, _build_file_kept),
    Case("build is not writable", ["plan", "ENV=dev"], ["cannot create build/local: build is not writable", "chmod u+w build"],
         _build_unwritable, _build_still_empty),
    Case("unlock of a lock whose terraform still runs", ["unlock", "ENV=dev", "LOCK_ID={lock_id}"],
         ["held by a terraform still running on this machine: process {pid}", "kill -INT {pid}"],
         _live_lock_holder, _lock_still_held),
]


# -- observing the local AWS ---------------------------------------------------------------------------------

def aws_model(emulator) -> dict:
    """Everything the emulator holds, except Terraform's lock file (taken and released by any plan)."""
    with urllib.request.urlopen(f"{emulator.endpoint}/moto-api/data.json", timeout=30) as reply:
        model = json.loads(reply.read())
    s3 = model.get("s3", {})
    for kind in ("FakeKey", "FakeDeleteMarker"):
        s3[kind] = [item for item in s3.get(kind, []) if not str(item.get("name", "")).endswith(".tflock")]
    for kind in ("FakeAcl", "FakeGrant", "FakeGrantee"):  # one per stored key version, lock files included
        s3.pop(kind, None)
    # moto lists a service once anything loaded it, even empty, and also records the transient copies some
    # reads build (an ECR image per DescribeImages): keep what holds something, each distinct record once.
    return {service: kinds for service, kinds in
            ((service, {kind: _distinct(items) for kind, items in kinds.items() if items}) for service, kinds in model.items())
            if kinds}


def _distinct(items: list) -> list:
    return sorted({json.dumps(item, sort_keys=True, default=str) for item in items})


def differences(before, after, path="") -> list[str]:
    """Where two model dumps differ, as readable paths (for the failure message)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [d for key in sorted(set(before) | set(after), key=str)
                for d in differences(before.get(key), after.get(key), f"{path}/{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after)) for d in differences(b, a, f"{path}[{i}]")]
    if isinstance(before, list) and isinstance(after, list):
        return [f"{path}: {len(before)} -> {len(after)} items; new: {str([a for a in after if a not in before])[:300]}"]
    return [] if before == after else [f"{path}: {str(before)[:80]} -> {str(after)[:80]}"]


@pytest.fixture(scope="module")
def released(emulator, tmp_path_factory):
    """Development applied on the shared emulator with release v1 deployed: what a user's account looks like."""
    repo = copy_repo(tmp_path_factory.mktemp("released") / "repo")
    git(repo, "tag", "v1")
    done = make(repo, "deploy", "ENV=dev", emulator=emulator)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return emulator


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_one_line_with_the_fix_and_changes_nothing(case, released, repo, tmp_path, monkeypatch):
    with ExitStack() as stack:
        ctx = Ctx(repo, released, tmp_path, stack)
        if case.setup:
            case.setup(ctx)
        for name, value in ctx.env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        before = aws_model(released)

        done = make(repo, *[arg.format(**ctx.values) for arg in case.args], emulator=released)

        line = one_error_line(done)
        for word in case.words:
            assert word.format(**ctx.values) in line, line
        after = aws_model(released)
        assert after == before, f"the local AWS changed: {differences(before, after)[:10]}"
        if case.unchanged:
            case.unchanged(ctx)
