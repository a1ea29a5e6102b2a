"""Post the comment to a pull request: update our earlier one (found by its marker) or create one.

GitHub's REST API through urllib: list the issue comments page by page
(following `Link: rel="next"`, or the page number until a page is empty, so a
comment on page 3 of a long PR is found), then PATCH it or POST a new one.
Reads GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN and the pull-request
number from GITHUB_EVENT_PATH, like any Actions step. The token goes only into
the Authorization header: never into a URL, a message or a log.
"""

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from tbctl.errors import UserError

PER_PAGE = 100
MAX_PAGES = 500  # 50,000 comments: far beyond any pull request; stops a server that never says "last"
TIMEOUT = 30
RETRY_STATUS = {502, 503, 504}
RETRY_DELAYS = (1.0, 3.0)
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
FIXES = {
    401: "check GITHUB_TOKEN (in Actions: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`)",
    403: "give the job `permissions: pull-requests: write` (pull requests from forks get a read-only token)",
    404: "check GITHUB_REPOSITORY and the pull-request number (PR=<n>)",
    422: "GitHub rejected the comment body; re-run with TBCTL_DEBUG=1 and report it",
}


@dataclass(frozen=True)
class Posted:
    action: str  # created / updated
    url: str
    comment_id: int
    pages_read: int


def pull_request(explicit: str | None) -> int | None:
    """The pull-request number: PR=<n>, else the one in the Actions event, else None (not in a PR)."""
    if explicit not in (None, ""):
        if not str(explicit).isdigit() or int(explicit) < 1:
            raise UserError(f"PR '{explicit}' is not a pull-request number", "pass PR=<number>, e.g. PR=42")
        return int(explicit)
    event_path = os.environ.get("GITHUB_EVENT_PATH")
    if not event_path:
        return None
    try:
        with open(event_path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read the Actions event {event_path} ({exc.__class__.__name__})",
                        "run inside GitHub Actions, or unset GITHUB_EVENT_PATH and pass PR=<n>") from None
    number = (event.get("pull_request") or {}).get("number")
    if number is None and (event.get("issue") or {}).get("pull_request"):
        number = event["issue"].get("number")
    return int(number) if number else None


class GitHub:
    def __init__(self, api: str, repository: str, token: str):
        self.api = api.rstrip("/")
        self.repository = repository
        self._token = token

    @classmethod
    def from_environment(cls) -> "GitHub":
        repository = os.environ.get("GITHUB_REPOSITORY", "")
        token = os.environ.get("GITHUB_TOKEN", "")
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
            raise UserError(f"GITHUB_REPOSITORY '{repository}' is not <owner>/<name>",
                            "export GITHUB_REPOSITORY=<owner>/<name> (Actions sets it)")
        if not token:
            raise UserError("GITHUB_TOKEN is not set, so the comment cannot be posted",
                            "export GITHUB_TOKEN (a token with pull-requests: write), or drop PR= to only print it")
        return cls(os.environ.get("GITHUB_API_URL") or "https://api.github.com", repository, token)

    def request(self, method: str, url: str, body: dict | None = None):
        """(decoded JSON, response headers); one-line UserError naming status and endpoint on failure."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {self._token}",
                   "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "tbctl-plan-comment"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        endpoint = f"{method} {urllib.parse.urlsplit(url).path}"
        for attempt in range(len(RETRY_DELAYS) + 1):
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as reply:
                    raw = reply.read()
                    return (json.loads(raw) if raw else None), reply.headers
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_STATUS and attempt < len(RETRY_DELAYS):
                    time.sleep(RETRY_DELAYS[attempt])
                    continue
                raise UserError(f"GitHub answered {exc.code} {exc.reason} to {endpoint}{_message(exc)}",
                                FIXES.get(exc.code, "check GitHub's status and re-run the job")) from None
            except (urllib.error.URLError, OSError) as exc:
                if attempt < len(RETRY_DELAYS):
                    time.sleep(RETRY_DELAYS[attempt])
                    continue
                reason = getattr(exc, "reason", exc)
                raise UserError(f"cannot reach GitHub at {self.api} for {endpoint} ({reason})",
                                "check GITHUB_API_URL and the network, then re-run") from None
            except ValueError:
                raise UserError(f"GitHub's answer to {endpoint} is not JSON",
                                "check GITHUB_API_URL points at the GitHub REST API") from None
        raise AssertionError("unreachable")

    def find(self, number: int, marker: str) -> tuple[dict | None, int]:
        """Our earlier comment (the oldest carrying `marker`) and how many pages were read to look for it."""
        base = f"{self.api}/repos/{self.repository}/issues/{number}/comments"
        url = f"{base}?per_page={PER_PAGE}&page=1"
        for page in range(1, MAX_PAGES + 1):
            comments, headers = self.request("GET", url)
            if not isinstance(comments, list):
                raise UserError(f"GitHub's answer to GET {urllib.parse.urlsplit(url).path} is not a list of comments",
                                "check GITHUB_API_URL points at the GitHub REST API")
            for comment in comments:
                if marker in (comment.get("body") or ""):
                    return comment, page
            following = _NEXT.search(headers.get("Link") or "")
            if following:
                url = following.group(1)
            elif comments and "Link" not in headers:  # no Link header at all: walk page numbers until empty
                url = f"{base}?per_page={PER_PAGE}&page={page + 1}"
            else:
                return None, page
        return None, MAX_PAGES

    def upsert(self, number: int, marker: str, body: str) -> Posted:
        existing, pages = self.find(number, marker)
        if existing:
            answer, _ = self.request("PATCH", f"{self.api}/repos/{self.repository}/issues/comments/{existing['id']}",
                                     {"body": body})
            action = "updated"
        else:
            answer, _ = self.request("POST", f"{self.api}/repos/{self.repository}/issues/{number}/comments",
                                     {"body": body})
            action = "created"
        answer = answer or {}
        return Posted(action, answer.get("html_url") or "", int(answer.get("id") or 0), pages)


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        message = json.loads(exc.read() or b"{}").get("message") or ""
    except (ValueError, AttributeError, OSError):
        message = ""
    message = " ".join(str(message).split())[:200]
    return f": {message}" if message else ""
