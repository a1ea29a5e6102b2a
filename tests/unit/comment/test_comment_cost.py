"""Monthly Fargate cost before -> after, with FARGATE_SPOT priced at its discount."""

import json

import pytest

from comment_helpers import REPO, comment, fixture, plan
from tbctl.comment.cost import estimate, split

PRICES = json.loads((REPO / "scripts/tbctl/data/fargate_prices.json").read_text())


def _monthly(vcpu, gb, on_demand_tasks, spot_tasks):
    per_task = (vcpu * PRICES["on_demand"]["vcpu_hour"] + gb * PRICES["on_demand"]["gb_hour"]) * PRICES["hours_per_month"]
    return per_task * on_demand_tasks + per_task * spot_tasks * (1 - PRICES["spot"]["discount"])


def test_the_price_table_says_where_and_when_it_is_from():
    assert PRICES["region"] == "us-east-1" and PRICES["as_of"] and PRICES["source"]
    assert 0 < PRICES["spot"]["discount"] < 1


@pytest.mark.parametrize("count, strategy, expected", [
    (3, [], {"FARGATE": 3}),
    (2, [{"capacity_provider": "FARGATE", "base": 1, "weight": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 3}],
     {"FARGATE": 1.25, "FARGATE_SPOT": 0.75}),
    (1, [{"capacity_provider": "FARGATE_SPOT", "weight": 100}], {"FARGATE_SPOT": 1}),
    (4, [{"capacity_provider": "FARGATE", "base": 2, "weight": 0}, {"capacity_provider": "FARGATE_SPOT", "weight": 1}],
     {"FARGATE": 2, "FARGATE_SPOT": 2}),
    (1, [{"capacity_provider": "FARGATE", "base": 2, "weight": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 1}],
     {"FARGATE": 1, "FARGATE_SPOT": 0}),
], ids=["no strategy", "base then weights", "all spot", "base, rest by weight", "base larger than count"])
def test_tasks_are_placed_like_ecs_places_them(count, strategy, expected):
    assert split(count, strategy) == pytest.approx(expected)


def test_a_resized_service_costs_what_anchors_says_before_and_after():
    """replace fixture: 1 x 0.25 vCPU / 0.5 GB on demand -> 3 x 1 vCPU / 2 GB on demand (ANCHORS: ~$9 and ~$108)."""
    cost = estimate(plan("replace"), PRICES)
    assert cost.before == pytest.approx(_monthly(0.25, 0.5, 1, 0))
    assert cost.after == pytest.approx(_monthly(1, 2, 3, 0))
    assert round(cost.before) == 9 and round(cost.after) == 108


def test_spot_tasks_are_priced_at_the_spot_discount_not_on_demand():
    """creates fixture: 2 tasks of 0.5 vCPU / 1 GB, FARGATE base 1 weight 1, FARGATE_SPOT weight 3."""
    cost = estimate(plan("creates"), PRICES)
    assert cost.before == 0
    assert cost.after == pytest.approx(_monthly(0.5, 1, 1.25, 0.75))
    assert cost.after < _monthly(0.5, 1, 2, 0)


def test_the_cost_section_shows_before_after_and_the_price_source():
    body = comment(fixture("replace")).stdout
    section = body.split("#### Monthly cost")[1].split("<details>")[0]
    assert "$9.01 → $108.12" in body
    assert "FARGATE_SPOT priced at a 70% discount" in section and PRICES["as_of"] in section
    assert "1 × 0.25 vCPU / 0.5 GB" in section and "3 × 1 vCPU / 2 GB" in section


def test_a_plan_without_services_has_no_cost_section():
    assert "Monthly cost" not in comment(fixture("drift")).stdout


def test_sizes_written_in_vcpu_and_gb_cost_the_same_as_units():
    """AWS takes "1 vCPU" / "2 GB" in a task definition; the estimate reads them as ECS does."""
    units = plan("replace")
    for change in units["resource_changes"]:
        if change["type"] == "aws_ecs_task_definition":
            change["change"]["after"].update(cpu="1 vCPU", memory="2 GB")
            change["change"]["before"].update(cpu=".25 vcpu", memory="0.5GB")
    cost = estimate(units, PRICES)
    assert (cost.before, cost.after) == pytest.approx((_monthly(0.25, 0.5, 1, 0), _monthly(1, 2, 3, 0)))
