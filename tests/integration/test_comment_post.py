"""Posting the plan comment, against a small GitHub imitation on loopback (list with pages, create, update).

GitHub itself cannot run here, so this fake serves the three endpoints the
command uses, with GitHub's pagination (per_page, page, Link headers) and its
bearer-token check; the command under test is the real CLI.
"""

import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
PLANS = REPO / "tests" / "fixtures" / "plans"
TOKEN = "ghs_fakeTokenForTheLoopbackServer0123456789"
OWNER_REPO = "octo/trading-bot"


class FakeGitHub:
    def __init__(self, link_headers: bool = True):
        self.comments: dict[int, list[dict]] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail: dict[str, tuple[int, str]] = {}  # method -> (status, message)
        self.link_headers = link_headers
        self._next_id = 1000
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body, headers=None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method):
                url = urlsplit(self.path)
                fake.requests.append((method, self.path))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._reply(401, {"message": "Bad credentials"})
                if method in fake.fail:
                    status, message = fake.fail[method]
                    return self._reply(status, {"message": message})
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                listing = re.fullmatch(rf"/repos/{OWNER_REPO}/issues/(\d+)/comments", url.path)
                single = re.fullmatch(rf"/repos/{OWNER_REPO}/issues/comments/(\d+)", url.path)
                if method == "GET" and listing:
                    return self._list(int(listing.group(1)), parse_qs(url.query))
                if method == "POST" and listing:
                    return self._reply(201, fake.add(int(listing.group(1)), body["body"]))
                if method == "PATCH" and single:
                    for comments in fake.comments.values():
                        for comment in comments:
                            if comment["id"] == int(single.group(1)):
                                comment["body"] = body["body"]
                                return self._reply(200, comment)
                return self._reply(404, {"message": "Not Found"})

            def _list(self, number, query):
                per_page = min(int(query.get("per_page", ["30"])[0]), 100)
                page = int(query.get("page", ["1"])[0])
                comments = fake.comments.get(number, [])
                chunk = comments[(page - 1) * per_page: page * per_page]
                headers = {}
                last = max(1, -(-len(comments) // per_page))
                if fake.link_headers and page < last:
                    base = f"http://{self.headers['Host']}{urlsplit(self.path).path}"
                    headers["Link"] = (f'<{base}?per_page={per_page}&page={page + 1}>; rel="next", '
                                       f'<{base}?per_page={per_page}&page={last}>; rel="last"')
                return self._reply(200, chunk, headers)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_PATCH(self):
                self._handle("PATCH")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def add(self, number: int, body: str) -> dict:
        with self._lock:
            self._next_id += 1
            comment = {"id": self._next_id, "body": body, "user": {"login": "someone"},
                       "html_url": f"https://github.example/{OWNER_REPO}/pull/{number}#issuecomment-{self._next_id}"}
            self.comments.setdefault(number, []).append(comment)
            return comment

    def ours(self, number: int, env: str) -> list[dict]:
        return [c for c in self.comments.get(number, []) if f"<!-- tbctl-plan:{env} -->" in c["body"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def github():
    fake = FakeGitHub()
    yield fake
    fake.stop()


def _as_environment(node, name: str):
    """The fixture (a production plan) as the same plan of another environment: its `environment` output and tags."""
    if isinstance(node, list):
        return [_as_environment(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {}
    for key, value in node.items():
        if key == "environment" and isinstance(value, str):
            value = name
        elif key == "environment" and isinstance(value, dict):
            value = {k: (name if k in ("value", "before", "after") and isinstance(v, str) else v) for k, v in value.items()}
        copy[key] = _as_environment(value, name)
    return copy


def post(github: FakeGitHub, case: str, env: str = "prod", *extra: str, environ: dict | None = None):
    import os
    import tempfile

    run_env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    run_env.update(TBCTL_ROOT=str(REPO), PYTHONPATH=str(REPO / "scripts"), GITHUB_API_URL=github.url,
                   GITHUB_REPOSITORY=OWNER_REPO, GITHUB_TOKEN=TOKEN)
    run_env.update(environ or {})
    plan = PLANS / f"{case}.json"
    with tempfile.TemporaryDirectory() as folder:
        if env == "dev" and plan.exists():  # the fixtures are production's plans
            plan = Path(folder) / "plan.json"
            plan.write_text(json.dumps(_as_environment(json.loads((PLANS / f"{case}.json").read_text()), "development")))
        args = ["comment", "--env", env, "--plan-json", str(plan), *extra]
        return subprocess.run([sys.executable, "-m", "tbctl", *args], cwd=REPO, env=run_env, capture_output=True,
                              text=True, timeout=120)


def _ok(done):
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr
    return done


def test_the_second_run_updates_the_first_comment_instead_of_adding_one(github):
    github.add(7, "LGTM")
    first = _ok(post(github, "creates", "prod", "--pr", "7"))
    assert "created the production plan comment on pull request #7" in first.stderr
    second = _ok(post(github, "replace", "prod", "--pr", "7"))
    assert "updated the production plan comment on pull request #7" in second.stderr
    ours = github.ours(7, "prod")
    assert len(ours) == 1 and len(github.comments[7]) == 2
    assert "replaced because `cpu`, `memory` cannot be updated in place" in ours[0]["body"]
    assert [m for m, _ in github.requests].count("POST") == 1


@pytest.mark.parametrize("link_headers", [True, False], ids=["Link headers", "page numbers only"])
def test_our_comment_is_found_on_page_3_of_250_comments(link_headers):
    github = FakeGitHub(link_headers=link_headers)
    try:
        for i in range(250):
            github.add(9, f"review comment {i}" if i != 230 else "old plan\n<!-- tbctl-plan:prod -->")
        target_id = github.comments[9][230]["id"]
        _ok(post(github, "replace", "prod", "--pr", "9"))
        assert len(github.comments[9]) == 250, "updated, not added"
        assert github.comments[9][230]["id"] == target_id and "3 changes" in github.comments[9][230]["body"]
        pages = [parse_qs(urlsplit(path).query).get("page") for method, path in github.requests if method == "GET"]
        assert pages == [["1"], ["2"], ["3"]]
        assert ("PATCH", f"/repos/{OWNER_REPO}/issues/comments/{target_id}") in github.requests
    finally:
        github.stop()


def test_each_environment_keeps_its_own_comment(github):
    _ok(post(github, "creates", "dev", "--pr", "3"))
    _ok(post(github, "replace", "prod", "--pr", "3"))
    _ok(post(github, "no_changes", "dev", "--pr", "3"))
    assert len(github.comments[3]) == 2
    assert "no changes" in github.ours(3, "dev")[0]["body"].splitlines()[0]
    assert "3 changes" in github.ours(3, "prod")[0]["body"].splitlines()[0]


def test_the_pull_request_number_comes_from_the_actions_event(github, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "number": 12, "pull_request": {"number": 12}}))
    _ok(post(github, "creates", "dev", environ={"GITHUB_EVENT_PATH": str(event)}))
    assert len(github.ours(12, "dev")) == 1


def test_outside_a_pull_request_it_only_prints(github):
    done = _ok(post(github, "creates", "dev", environ={"GITHUB_TOKEN": ""}))
    assert done.stdout.startswith("### Terraform plan: development") and github.requests == []


def test_a_failed_plan_is_still_posted_then_the_command_fails(github):
    done = post(github, "failed", "prod", "--pr", "5")
    assert done.returncode != 0
    assert "the plan for production failed: Error: Reference to undeclared resource" in done.stderr
    body = github.ours(5, "prod")[0]["body"]
    assert body.splitlines()[0].endswith("failed") and "Reference to undeclared resource" in body


@pytest.mark.parametrize("method, status, words", [
    ("POST", 403, ["403", "POST /repos/octo/trading-bot/issues/7/comments", "Resource not accessible by integration",
                   "pull-requests: write"]),
    ("GET", 404, ["404", "GET /repos/octo/trading-bot/issues/7/comments", "PR=<n>"]),
    ("GET", 500, ["500", "GET /repos/octo/trading-bot/issues/7/comments"]),
], ids=["forbidden create", "unknown pull request", "server error"])
def test_an_http_error_gives_one_clear_line_and_a_non_zero_exit(github, method, status, words):
    github.fail[method] = (status, "Resource not accessible by integration" if status == 403 else "nope")
    done = post(github, "creates", "prod", "--pr", "7")
    assert done.returncode != 0
    line = done.stderr.strip()
    assert len(line.splitlines()) == 1 and line.startswith("error: GitHub answered") and "Traceback" not in line
    for word in words:
        assert word in line
    assert TOKEN not in done.stdout + done.stderr


def test_a_bad_token_is_reported_without_echoing_it(github):
    done = post(github, "creates", "prod", "--pr", "7", environ={"GITHUB_TOKEN": "ghs_wrongToken0000000000000000000000000"})
    assert done.returncode != 0 and "401" in done.stderr and "GITHUB_TOKEN" in done.stderr
    assert "ghs_wrongToken" not in done.stdout + done.stderr


def test_a_missing_token_fails_before_anything_is_sent(github):
    done = post(github, "creates", "prod", "--pr", "7", environ={"GITHUB_TOKEN": ""})
    assert done.returncode != 0 and done.stdout == "" and "GITHUB_TOKEN is not set" in done.stderr
    assert github.requests == []


def test_dry_run_renders_but_does_not_post(github):
    done = _ok(post(github, "creates", "prod", "--pr", "7", "--dry-run"))
    assert done.stdout.startswith("### Terraform plan") and github.requests == []
