"""The config store on the emulator, through `make config-*` in a fresh clone: what a user sees, and what S3 holds.

Each test gets its own pair of versioned buckets (TBCTL_CONFIG_BUCKET=<prefix>-{env}),
so tests share the session's emulator without seeing each other's objects.
"""

import json
import re
import subprocess
import threading
import uuid

import pytest
from hypothesis import HealthCheck, given, settings

from config_strategies import notification, specific_strings
from conftest import REPO, VENV, git, make
from tbctl.config import canonical, documents, envelope
from tbctl.config.store import LostRace, Store, current_key
from tbctl.environments import ENVIRONMENTS
from tbctl.target import Target

pytestmark = pytest.mark.integration

WRITES = ("PUT ", "POST ", "DELETE ")
REPO_CONFIG = REPO / "config"
# What the travelling documents hold: a generated value that happens to be in them is no leak.
REPO_TEXT = "".join(path.read_text() for path in REPO_CONFIG.glob("*/*.json"))


class Buckets:
    def __init__(self, emulator, versioned: bool = True):
        self.prefix = f"cfg-{uuid.uuid4().hex[:12]}"
        self.template = f"{self.prefix}-{{env}}"
        self.s3 = emulator.client("s3")
        for short in ("dev", "prod"):
            self.s3.create_bucket(Bucket=self.name(short))
            if versioned:
                self.s3.put_bucket_versioning(Bucket=self.name(short), VersioningConfiguration={"Status": "Enabled"})

    def name(self, short: str) -> str:
        return f"{self.prefix}-{short}"

    def object_versions(self, short: str) -> list[tuple[str, str]]:
        listing = self.s3.list_object_versions(Bucket=self.name(short))
        return sorted((v["Key"], v["VersionId"]) for v in listing.get("Versions", []))

    def body(self, short: str, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.name(short), Key=key)["Body"].read()


@pytest.fixture
def buckets(emulator):
    return Buckets(emulator)


def cfg(repo, emulator, buckets, *args):
    """`make <args>` in the clone, against the emulator and this test's buckets."""
    return make(repo, *args, emulator=emulator, env={"TBCTL_CONFIG_BUCKET": buckets.template, "VENV": str(VENV)}, timeout=120)


def ok(done):
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def one_line_error(done, *words):
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and ". Fix: " in errors[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def writes(emulator, bucket: str) -> dict:
    return {op: n for op, n in emulator.control("stats").items() if op.startswith(WRITES) and f"/{bucket}/" in op}


def edit(repo, env_name: str, name: str, old: str, new: str) -> bytes:
    path = repo / "config" / env_name / f"{name}.json"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", f"edit {name}")
    return path.read_bytes()


def test_pushed_documents_pull_back_byte_exact_and_versions_list_the_push(repo, emulator, buckets):
    done = ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    assert "4 changed" in done.stdout
    for name in documents.NAMES:
        pulled = ok(cfg(repo, emulator, buckets, "config-pull", "ENV=dev", f"NAME={name}"))
        assert pulled.stdout.encode() == (repo / "config" / "development" / f"{name}.json").read_bytes()
        assert "verified" in pulled.stderr
    listed = ok(cfg(repo, emulator, buckets, "config-versions", "ENV=dev", "NAME=risk-params")).stdout.splitlines()
    sha = canonical.sha256(json.loads((repo / "config" / "development" / "risk-params.json").read_text()))
    assert len(listed) == 2, listed
    assert re.match(rf"^\s+1\s+\S+Z\s+{git(repo, 'rev-parse', 'HEAD')[:12]}\s+{sha[:12]}\s+push \(current\)$", listed[1])
    stored = json.loads(buckets.body("dev", "versions/risk-params/000001.json"))
    assert stored["metadata"]["sha256"] == sha and stored["metadata"]["git_commit"] == git(repo, "rev-parse", "HEAD")


def test_an_unchanged_push_makes_no_writes_and_a_changed_document_writes_only_itself(repo, emulator, buckets):
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    emulator.control("stats/reset", {})
    done = ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    assert "0 changed (none), 4 unchanged" in done.stdout
    assert writes(emulator, buckets.name("dev")) == {}

    edit(repo, "development", "risk-params", '"max_positions": 10', '"max_positions": 8')
    emulator.control("stats/reset", {})
    done = ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    assert "1 changed (risk-params), 3 unchanged" in done.stdout
    bucket = buckets.name("dev")
    assert set(writes(emulator, bucket)) == {f"PUT /{bucket}/configs/risk-params.json",
                                             f"PUT /{bucket}/versions/risk-params/000002.json"}


def test_a_tampered_object_fails_the_pull_with_the_checksum_error_naming_it(repo, emulator, buckets):
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    key = current_key("risk-params")
    stored = json.loads(buckets.body("dev", key))
    stored["document"]["global_limits"]["max_daily_loss"] = 10**9
    buckets.s3.put_object(Bucket=buckets.name("dev"), Key=key, Body=json.dumps(stored).encode())
    done = cfg(repo, emulator, buckets, "config-pull", "ENV=dev", "NAME=risk-params")
    one_line_error(done, "checksum mismatch", f"s3://{buckets.name('dev')}/{key}", "config-rollback")
    assert done.stdout == ""  # the tampered document is never printed
    versions = ok(cfg(repo, emulator, buckets, "config-versions", "ENV=dev", "NAME=risk-params"))
    assert "(current)" in versions.stdout and "CHECKSUM MISMATCH" not in versions.stdout  # the kept copy is intact


def test_rollback_restores_the_exact_earlier_bytes_as_a_new_version(repo, emulator, buckets):
    original = (repo / "config" / "development" / "strategy-config.json").read_bytes()
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    edited = edit(repo, "development", "strategy-config", '"fast_ema": 12', '"fast_ema": 10')
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    assert ok(cfg(repo, emulator, buckets, "config-pull", "ENV=dev", "NAME=strategy-config")).stdout.encode() == edited
    kept = [v for v in buckets.object_versions("dev") if v[0].startswith("versions/strategy-config/")]

    done = ok(cfg(repo, emulator, buckets, "config-rollback", "ENV=dev", "NAME=strategy-config", "TO=1"))
    assert "is at version 3" in done.stdout and "verified" in done.stderr
    assert ok(cfg(repo, emulator, buckets, "config-pull", "ENV=dev", "NAME=strategy-config")).stdout.encode() == original
    listed = ok(cfg(repo, emulator, buckets, "config-versions", "ENV=dev", "NAME=strategy-config")).stdout.splitlines()[1:]
    assert [line.split()[0] for line in listed] == ["3", "2", "1"]
    assert "rollback of version 1 (current)" in listed[0]
    # History is added to, never rewritten: versions 1 and 2 are the same objects as before.
    after = [v for v in buckets.object_versions("dev") if v[0].startswith("versions/strategy-config/")]
    assert set(kept) < set(after) and len(after) == 3
    # Rolling back to the content that is already current writes nothing.
    emulator.control("stats/reset", {})
    done = ok(cfg(repo, emulator, buckets, "config-rollback", "ENV=dev", "NAME=strategy-config", "TO=3"))
    assert "nothing changed" in done.stderr and writes(emulator, buckets.name("dev")) == {}
    one_line_error(cfg(repo, emulator, buckets, "config-rollback", "ENV=dev", "NAME=strategy-config", "TO=7"),
                   "version 7 of strategy-config is not in")


def test_sync_into_production_is_refused_and_changes_nothing(repo, emulator, buckets):
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=prod"))
    before = buckets.object_versions("prod")
    emulator.control("stats/reset", {})
    one_line_error(cfg(repo, emulator, buckets, "config-sync", "FROM=dev", "TO=prod"), "config sync into production is refused")
    assert not [op for op in emulator.control("stats") if f"/{buckets.name('prod')}" in op]  # not even read
    assert buckets.object_versions("prod") == before


def test_sync_prod_to_dev_backs_up_dev_then_copies_and_verifies(repo, emulator, buckets):
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=dev"))
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=prod"))
    previous = {name: buckets.body("dev", current_key(name)) for name in documents.NAMES}

    done = ok(cfg(repo, emulator, buckets, "config-sync", "FROM=prod", "TO=dev"))
    assert "checksums verified" in done.stdout and "verified 4 checksums" in done.stderr
    prefix = re.search(r"backup at (backups/\S+)/", done.stdout).group(1)
    assert prefix.endswith("-before-sync-from-prod")
    for name in documents.NAMES:
        assert buckets.body("dev", f"{prefix}/{current_key(name)}") == previous[name]
        dev = ok(cfg(repo, emulator, buckets, "config-pull", "ENV=dev", f"NAME={name}")).stdout
        production = (repo / "config" / "production" / f"{name}.json").read_text()
        if name == "notification-config":
            # environment-specific: dev keeps its own recipients and secrets, byte for byte
            assert dev.encode() == (repo / "config" / "development" / f"{name}.json").read_bytes()
            assert "-1001000000001" not in dev and "trading-oncall@example.com" not in dev and "trading-bot-prod" not in dev
        else:
            assert dev.encode() == production.encode()
    meta = json.loads(buckets.body("dev", current_key("risk-params")))["metadata"]
    assert (meta["action"], meta["synced_from"], meta["source_version"], meta["version"]) == ("sync", "prod", 1, 2)
    # symbols-config is the same in both environments, notification-config all dev's own: neither written, still version 1.
    for name in ("symbols-config", "notification-config"):
        assert json.loads(buckets.body("dev", current_key(name)))["metadata"]["version"] == 1
    assert "notification-config: development's own values kept" in done.stderr
    again = ok(cfg(repo, emulator, buckets, "config-sync", "FROM=prod", "TO=dev"))
    assert "0 copied" in again.stdout and "nothing to back up" in again.stdout


def _edit_only(repo):
    path = repo / "config" / "production" / "risk-params.json"
    path.write_text(path.read_text().replace('"max_positions": 3', '"max_positions": 30', 1))


def _stage(repo):
    _edit_only(repo)
    git(repo, "add", "config/production/risk-params.json")


def _new_file(repo):
    (repo / "config" / "production" / "risk-params.local.json").write_text("{}")


def _hidden_edit(repo):
    git(repo, "update-index", "--assume-unchanged", "config/production/risk-params.json")
    _edit_only(repo)


@pytest.mark.parametrize("change", [_edit_only, _stage, _new_file, _hidden_edit], ids=["modified", "staged", "untracked", "assume-unchanged"])
def test_a_production_push_with_uncommitted_changes_is_refused_and_adds_no_version(repo, emulator, buckets, change):
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=prod"))
    before = buckets.object_versions("prod")
    change(repo)
    for extra in ((), ("DRY_RUN=1",)):
        one_line_error(cfg(repo, emulator, buckets, "config-push", "ENV=prod", *extra),
                       "config/production/ has uncommitted changes", "published only from committed files", "git commit")
    assert buckets.object_versions("prod") == before  # no new version, nothing else written either


def test_a_committed_production_change_is_pushed_and_names_its_commit(repo, emulator, buckets):
    ok(cfg(repo, emulator, buckets, "config-push", "ENV=prod"))
    edit(repo, "production", "risk-params", '"max_positions": 3', '"max_positions": 2')
    _edit_only_dev = repo / "config" / "development" / "risk-params.json"  # an uncommitted edit elsewhere does not matter
    _edit_only_dev.write_text(_edit_only_dev.read_text().replace('"max_positions": 10', '"max_positions": 9', 1))
    done = ok(cfg(repo, emulator, buckets, "config-push", "ENV=prod"))
    assert "1 changed (risk-params)" in done.stdout
    meta = json.loads(buckets.body("prod", current_key("risk-params")))["metadata"]
    assert (meta["version"], meta["git_commit"]) == (2, git(repo, "rev-parse", "HEAD"))


def test_a_bucket_without_versioning_is_refused_before_any_write(repo, emulator):
    plain = Buckets(emulator, versioned=False)
    one_line_error(cfg(repo, emulator, plain, "config-push", "ENV=dev"), "versioning off")
    assert plain.object_versions("dev") == []


def test_an_environment_never_applied_names_the_fix(repo, fresh_emulator):
    done = make(repo, "config-push", "ENV=dev", emulator=fresh_emulator, env={"VENV": str(VENV)}, timeout=120)
    one_line_error(done, "has not been applied", "make apply ENV=dev")


# -- two writers at once -------------------------------------------------------------------------------------------


@pytest.fixture
def store(emulator, buckets, monkeypatch):
    monkeypatch.setenv("LOCAL_PORT", str(emulator.port))
    monkeypatch.setenv("TBCTL_CONFIG_BUCKET", buckets.template)
    return Store(ENVIRONMENTS["dev"], Target("local", "us-east-1", emulator.endpoint))


def publish(store, document, expected):
    version = int(expected.metadata["version"]) + 1 if expected else 1
    return store.publish("risk-params", envelope.build("risk-params", store.env, document, version, "c" * 40), expected)


def doc(n: int) -> dict:
    return {"global_limits": {"max_daily_loss": float(n), "max_total_exposure": 1.0, "max_positions": 1, "emergency_stop_loss": 0.1},
            "position_sizing": {"default_size_pct": 0.01, "max_size_pct": 0.02, "volatility_adjustment": True}}


def history(store) -> dict[int, str]:
    return {n: store.version("risk-params", n).metadata["sha256"] for n in store.version_numbers("risk-params")}


@pytest.mark.parametrize("first", [True, False], ids=["first-version", "later-version"])
def test_a_write_based_on_a_stale_read_loses_the_race_and_keeps_nothing(store, buckets, first):
    if not first:
        publish(store, doc(0), None)
    seen_by_a = seen_by_b = store.current("risk-params")
    publish(store, doc(1), seen_by_a)
    with pytest.raises(LostRace, match="lost the race"):
        publish(store, doc(2), seen_by_b)
    assert store.current("risk-params").document == doc(1)
    expected = {1: canonical.sha256(doc(1))} if first else {1: canonical.sha256(doc(0)), 2: canonical.sha256(doc(1))}
    assert history(store) == expected
    configs = [v for v in buckets.object_versions("dev") if v[0] == current_key("risk-params")]
    assert len(configs) == len(expected)  # the loser's write never stayed in the object's history


def test_concurrent_writers_each_win_in_turn_or_fail_saying_they_lost(store, buckets):
    publish(store, doc(0), None)
    writers, barrier, outcomes = 8, threading.Barrier(8), {}

    def write(n):
        barrier.wait()
        try:
            written = publish(store, doc(n), store.current("risk-params"))
            outcomes[n] = int(written.metadata["version"])
        except LostRace:
            outcomes[n] = "lost"

    threads = [threading.Thread(target=write, args=(n,)) for n in range(1, writers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    won = {n: v for n, v in outcomes.items() if v != "lost"}
    assert len(outcomes) == writers and won
    # Every winner is in the history under its own version, every loser nowhere; nothing in between.
    assert history(store) == {1: canonical.sha256(doc(0)), **{v: canonical.sha256(doc(n)) for n, v in won.items()}}
    assert sorted(won.values()) == list(range(2, 2 + len(won)))
    assert store.current("risk-params").document == doc(max(won, key=won.get))
    configs = [v for v in buckets.object_versions("dev") if v[0] == current_key("risk-params")]
    assert len(configs) == 1 + len(won)


def test_two_config_pushes_at_once_never_silently_lose_one(tmp_path, emulator, buckets):
    from conftest import copy_repo

    clones = []
    for n, positions in enumerate((4, 6)):
        clone = copy_repo(tmp_path / f"clone{n}")
        edit(clone, "development", "risk-params", '"max_positions": 10', f'"max_positions": {positions}')
        clones.append(clone)
    ok(cfg(clones[0], emulator, buckets, "config-push", "ENV=dev"))  # version 1 of every document
    for clone in clones:
        edit(clone, "development", "risk-params", '"volatility_adjustment": true', '"volatility_adjustment": false')
    env = {"TBCTL_CONFIG_BUCKET": buckets.template, "LOCAL_PORT": str(emulator.port)}
    runs = [subprocess.Popen([str(VENV / "bin" / "tbctl"), "config-push", "--env", "dev"], cwd=clone, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**_clean_environ(), **env, "TBCTL_ROOT": str(clone)})
            for clone in clones]
    results = [(run.wait(60), run.stdout.read(), run.stderr.read()) for run in runs]
    for code, out, err in results:
        assert code == 0 or ("lost the race" in err and code == 1), out + err
    winners = [clone for clone, (code, _, _) in zip(clones, results) if code == 0]
    assert winners
    shas = {canonical.sha256(json.loads((clone / "config" / "development" / "risk-params.json").read_text())) for clone in winners}
    stored = {json.loads(buckets.body("dev", f"versions/risk-params/{n:06d}.json"))["metadata"]["sha256"]
              for n in range(2, 2 + len(winners))}
    assert stored == shas
    listing = buckets.s3.list_objects_v2(Bucket=buckets.name("dev"), Prefix="versions/risk-params/")["Contents"]
    assert len(listing) == 1 + len(winners)


# -- what a sync may never carry ------------------------------------------------------------------------------------


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source=notification(), destination=notification())
def test_no_production_recipient_or_secret_reaches_any_object_of_development(emulator, monkeypatch, source, destination):
    """Real sync, real S3: any recipients in production, and none of them anywhere in development's bucket afterwards."""
    from tbctl.config import sync

    buckets = Buckets(emulator)
    monkeypatch.setenv("LOCAL_PORT", str(emulator.port))
    monkeypatch.setenv("TBCTL_CONFIG_BUCKET", buckets.template)
    target = Target("local", "us-east-1", emulator.endpoint)
    own = {}
    for env, notifications in ((ENVIRONMENTS["prod"], source), (ENVIRONMENTS["dev"], destination)):
        store = Store(env, target)
        for name in documents.NAMES:
            document = notifications if name == "notification-config" else json.loads(
                (REPO_CONFIG / env.name / f"{name}.json").read_text())
            store.publish(name, envelope.build(name, env, document, 1, "c" * 40), None)
        own[env.short] = store

    report = sync.sync(ENVIRONMENTS["prod"], ENVIRONMENTS["dev"], target)
    assert "risk-params" in report.copied and "notification-config" not in report.copied
    assert own["dev"].current("notification-config").document == destination
    everything = b"".join(buckets.body("dev", item["Key"])
                          for item in buckets.s3.list_objects_v2(Bucket=buckets.name("dev"))["Contents"])
    written = everything.decode()
    for value in specific_strings(source) - specific_strings(destination):
        if value not in json.dumps(destination, ensure_ascii=False) and len(value) >= 8 and value not in REPO_TEXT:
            assert value not in written and json.dumps(value, ensure_ascii=False) not in written, value


def _clean_environ() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TBCTL_ROOT", "TBCTL_CONFIG_BUCKET"}}
