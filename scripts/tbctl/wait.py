"""Wait for a service's deployment to finish, with a live progress line.

Polls from 1 s backing off to at most 15 s (CI minutes are money). Ends in
success only when our deployment COMPLETED and is still the PRIMARY one: a
deployment the circuit breaker FAILED or rolled back is an error that says so.
"""

import sys
import time

from tbctl import revisions, service
from tbctl.errors import UserError

FIRST_POLL, MAX_POLL, BACKOFF = 1.0, 15.0, 1.5


def _line(deployment: dict, label: str, elapsed: float) -> str:
    return (f"rolling out {label}: {deployment.get('runningCount', 0)}/{deployment.get('desiredCount', 0)} running, "
            f"{deployment.get('pendingCount', 0)} pending, {deployment.get('rolloutState', 'IN_PROGRESS')} ({elapsed:.0f}s)")


class Progress:
    """One line rewritten in place on a terminal; elsewhere (CI logs) one line per change."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self.last = ""

    def show(self, text: str, key: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + text)
        elif key != self.last:
            self.stream.write(text + "\n")
        self.last = key
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _rolled_back(svc: dict, ours: dict, arn: str) -> str | None:
    """Why the deployment is not ours any more, when ECS failed it or moved the service elsewhere."""
    now = service.primary(svc) or {}
    reason = ours.get("rolloutStateReason") or ""
    if ours.get("rolloutState") == "FAILED" or (now and now.get("id") != ours.get("id")):
        if now and now.get("taskDefinition") != arn:
            back = revisions.label(now.get("taskDefinition") or "?")
            return f"ECS rolled the deployment back to {back}" + (f": {reason}" if reason else "")
        if ours.get("rolloutState") == "FAILED":
            return "the deployment FAILED" + (f": {reason}" if reason else "")
    return None


def wait(target, cluster: str, name: str, arn: str, deployment_id: str | None, env_short: str,
         timeout: float = 600.0, stream=None, sleep=time.sleep, rerun: str = "deploy") -> dict:
    """Block until the deployment of `arn` completes; returns the final deployment. Raises UserError otherwise."""
    progress = Progress(stream)
    label = revisions.label(arn)
    started = time.monotonic()
    interval = FIRST_POLL
    try:
        while True:
            svc = service.describe(target, cluster, name, env_short)
            deployments = svc.get("deployments", [])
            ours = next((d for d in deployments if d.get("id") == deployment_id), None) if deployment_id else None
            ours = ours or next((d for d in deployments if d.get("taskDefinition") == arn), None)
            elapsed = time.monotonic() - started
            if ours is None:
                progress.done()
                now = revisions.label((service.primary(svc) or {}).get("taskDefinition") or "?")
                raise UserError(f"the deployment of {label} is gone: the service now runs {now} (rolled back, or another deploy replaced it)",
                                f"see `make status ENV={env_short}` and the service's events; deploy again when fixed")
            problem = _rolled_back(svc, ours, arn)
            if problem:
                progress.done()
                raise UserError(f"deploy of {label} did not succeed: {problem}",
                                f"see `make status ENV={env_short}` and the service's events, fix the cause, and deploy again")
            progress.show(_line(ours, label, elapsed),
                          f"{ours.get('runningCount')}/{ours.get('pendingCount')}/{ours.get('rolloutState')}")
            if ours.get("rolloutState", "COMPLETED") == "COMPLETED" and ours.get("status") == "PRIMARY" and len(deployments) == 1:
                progress.done()
                return ours
            if elapsed >= timeout:
                progress.done()
                raise UserError(f"the deployment of {label} is still in progress after {timeout:.0f} s (ECS carries on with it)",
                                f"check it with `make status ENV={env_short}`, or wait longer with TIMEOUT=<seconds>")
            sleep(min(interval, max(0.0, timeout - elapsed)) or 0.1)
            interval = min(interval * BACKOFF, MAX_POLL)
    except KeyboardInterrupt:
        progress.done()
        raise UserError(f"interrupted while waiting; ECS carries on rolling out {label} and the service keeps running a complete revision",
                        f"re-run `make {rerun} ENV={env_short}` to finish waiting (it registers nothing new)", code=130) from None
