"""Reading a rollout: success only when our deployment completed; FAILED and rolled back are named; progress lines."""

import io

import pytest

from tbctl.wait import Progress, _rolled_back

OURS, OLD = "arn:aws:ecs:us-east-1:1:task-definition/trading-bot-dev:3", "arn:aws:ecs:us-east-1:1:task-definition/trading-bot-dev:2"


def deployment(id_, arn, status, state, reason=""):
    return {"id": id_, "taskDefinition": arn, "status": status, "rolloutState": state, "rolloutStateReason": reason}


CASES = [
    ("in progress", [deployment("a", OURS, "PRIMARY", "IN_PROGRESS"), deployment("b", OLD, "ACTIVE", "COMPLETED")], None),
    ("completed", [deployment("a", OURS, "PRIMARY", "COMPLETED")], None),
    ("failed, no rollback", [deployment("a", OURS, "PRIMARY", "FAILED", "tasks failed to start")],
     "the deployment FAILED: tasks failed to start"),
    ("rolled back by the circuit breaker",
     [deployment("r", OLD, "PRIMARY", "IN_PROGRESS"), deployment("a", OURS, "ACTIVE", "FAILED", "circuit breaker")],
     "ECS rolled the deployment back to trading-bot-dev:2: circuit breaker"),
]


@pytest.mark.parametrize("name, deployments, expected", CASES, ids=[c[0] for c in CASES])
def test_a_rollout_is_read_as_ecs_reports_it(name, deployments, expected):
    ours = next(d for d in deployments if d["id"] == "a")
    assert _rolled_back({"deployments": deployments}, ours, OURS) == expected


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_in_a_log_prints_one_line_per_change():
    out = io.StringIO()
    progress = Progress(out)
    for text, key in [("0/1 (1s)", "0"), ("0/1 (2s)", "0"), ("1/1 (3s)", "1")]:
        progress.show(text, key)
    assert out.getvalue().splitlines() == ["0/1 (1s)", "1/1 (3s)"]


def test_progress_on_a_terminal_rewrites_one_line():
    out = Terminal()
    progress = Progress(out)
    progress.show("0/1 (1s)", "0")
    progress.show("0/1 (2s)", "0")
    progress.done()
    assert out.getvalue().count("\n") == 1 and out.getvalue().count("\r") == 2
