"""Every rule of the config documents: one change to a valid document, and the problem it must (or must not) raise.

Each case starts from the shipped development documents (all valid), changes
one value, and checks the problems `config-check` would report: none for a
valid value, exactly one at the expected JSON path for an invalid one.
"""

import copy
import json
import re
from pathlib import Path

import pytest

from tbctl.config import check, documents, files
from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError

REPO = Path(__file__).resolve().parents[3]
DELETE = object()


def shipped(env_name: str) -> dict:
    return {name: json.loads((REPO / "config" / env_name / f"{name}.json").read_text()) for name in documents.NAMES}


def set_path(data, path: str, value) -> None:
    """Set (or delete, with DELETE) the value at a JSON path like `a.b[0].c`."""
    parts = [int(index) if index else key for key, index in re.findall(r"([A-Za-z_][\w-]*)|\[(\d+)\]", path)]
    for part in parts[:-1]:
        data = data[part]
    if value is DELETE:
        del data[parts[-1]]
    elif isinstance(data, list) and parts[-1] == len(data):
        data.append(value)
    else:
        data[parts[-1]] = value


def run_check(data: dict) -> list[check.Problem]:
    docs = [documents.Document(name, Path(f"/docs/{name}.json"), data[name]) for name in documents.NAMES]
    return check.problems(docs)


# (document, path changed, new value, path of the expected problem or None when valid, words in its message)
CASES = [
    # strategy-config
    ("strategy-config", "strategies", [], "strategies", "should be non-empty"),
    ("strategy-config", "strategies", DELETE, "strategies", "required"),
    ("strategy-config", "strategies[0].name", "Bad Name", "strategies[0].name", "does not match"),
    ("strategy-config", "strategies[0].name", DELETE, "strategies[0].name", "required"),
    ("strategy-config", "strategies[0].enabled", "yes", "strategies[0].enabled", "not of type 'boolean'"),
    ("strategy-config", "strategies[0].symbol", "btc/usdt", "strategies[0].symbol", "does not match"),
    ("strategy-config", "strategies[0].parameters", [1], "strategies[0].parameters", "not of type 'object'"),
    ("strategy-config", "strategies[0].parameters.nested", {"a": 1}, "strategies[0].parameters.nested", "not of type"),
    ("strategy-config", "strategies[0].parameters.window", [1, 2, 3], None, ""),
    ("strategy-config", "strategies[0].risk_limits.max_position_size", DELETE, "strategies[0].risk_limits.max_position_size", "required"),
    ("strategy-config", "strategies[0].risk_limits.max_position_size", -0.1, "strategies[0].risk_limits.max_position_size", "minimum of 0"),
    ("strategy-config", "strategies[0].risk_limits.max_position_size", 0, None, ""),
    ("strategy-config", "strategies[0].risk_limits.stop_loss_pct", 1.5, "strategies[0].risk_limits.stop_loss_pct", "maximum of 1"),
    ("strategy-config", "strategies[0].risk_limits.stop_loss_pct", -0.01, "strategies[0].risk_limits.stop_loss_pct", "minimum of 0"),
    ("strategy-config", "strategies[0].risk_limits.stop_loss_pct", 1, None, ""),
    ("strategy-config", "strategies[0].risk_limits.stop_loss_pct", "0.1", "strategies[0].risk_limits.stop_loss_pct", "not of type 'number'"),
    ("strategy-config", "strategies[0].risk_limits.take_profit_pct", -1, "strategies[0].risk_limits.take_profit_pct", "minimum of 0"),
    ("strategy-config", "strategies[0].risk_limits.take_profit_pct", 3.0, None, ""),
    ("strategy-config", "strategies[0].risk_limits.trailing", 0.1, "strategies[0].risk_limits.trailing", "unknown key"),
    ("strategy-config", "strategies[1].leverage", 10, "strategies[1].leverage", "unknown key"),
    ("strategy-config", "version", 2, "version", "unknown key"),
    ("strategy-config", "strategies[1].name", "btc-momentum", "strategies[1].name", "duplicate name 'btc-momentum' (first at strategies[0])"),
    ("strategy-config", "strategies[0].symbol", "XRPUSDT", "strategies[0].symbol", "'XRPUSDT' is not a trading pair"),
    # risk-params
    ("risk-params", "global_limits.max_daily_loss", -1, "global_limits.max_daily_loss", "minimum of 0"),
    ("risk-params", "global_limits.max_daily_loss", 0, None, ""),
    ("risk-params", "global_limits.max_total_exposure", -5, "global_limits.max_total_exposure", "minimum of 0"),
    ("risk-params", "global_limits.max_positions", 0, "global_limits.max_positions", "minimum of 1"),
    ("risk-params", "global_limits.max_positions", 2.5, "global_limits.max_positions", "not of type 'integer'"),
    ("risk-params", "global_limits.max_positions", 1, None, ""),
    ("risk-params", "global_limits.emergency_stop_loss", 1.2, "global_limits.emergency_stop_loss", "maximum of 1"),
    ("risk-params", "global_limits.emergency_stop_loss", DELETE, "global_limits.emergency_stop_loss", "required"),
    ("risk-params", "position_sizing.default_size_pct", 1.01, "position_sizing.default_size_pct", "maximum of 1"),
    ("risk-params", "position_sizing.max_size_pct", -0.1, "position_sizing.max_size_pct", "minimum of 0"),
    ("risk-params", "position_sizing.volatility_adjustment", "true", "position_sizing.volatility_adjustment", "not of type 'boolean'"),
    ("risk-params", "position_sizing.default_size_pct", 0.5, "position_sizing.default_size_pct", "greater than position_sizing.max_size_pct"),
    ("risk-params", "position_sizing.default_size_pct", 0.1, None, ""),  # equal to max_size_pct: allowed
    ("risk-params", "global_limits.max_leverage", 3, "global_limits.max_leverage", "unknown key"),
    # symbols-config
    ("symbols-config", "trading_pairs", [], "trading_pairs", "should be non-empty"),
    ("symbols-config", "trading_pairs[0].symbol", "btcusdt", "trading_pairs[0].symbol", "does not match"),
    ("symbols-config", "trading_pairs[0].enabled", DELETE, "trading_pairs[0].enabled", "required"),
    ("symbols-config", "trading_pairs[0].min_notional", -1, "trading_pairs[0].min_notional", "minimum of 0"),
    ("symbols-config", "trading_pairs[0].tick_size", -0.01, "trading_pairs[0].tick_size", "minimum of 0"),
    ("symbols-config", "trading_pairs[0].lot_size", -1, "trading_pairs[0].lot_size", "minimum of 0"),
    ("symbols-config", "trading_pairs[0].commission_rate", 1.5, "trading_pairs[0].commission_rate", "maximum of 1"),
    ("symbols-config", "trading_pairs[0].commission_rate", 0, None, ""),
    ("symbols-config", "trading_pairs[3]", {"symbol": "BTCUSDT", "enabled": True, "min_notional": 10, "tick_size": 0.1,
                                            "lot_size": 0.001, "commission_rate": 0.001},
     "trading_pairs[3].symbol", "duplicate symbol 'BTCUSDT' (first at trading_pairs[0])"),
    ("symbols-config", "trading_pairs[0].enabled", False, "strategies[0].symbol", "'BTCUSDT' is disabled"),
    ("symbols-config", "trading_pairs[0].quote", "USDT", "trading_pairs[0].quote", "unknown key"),
    # notification-config
    ("notification-config", "telegram.notification_levels", ["info", "debug"], "telegram.notification_levels[1]", "is not one of"),
    ("notification-config", "telegram.notification_levels", ["error", "error"], "telegram.notification_levels", "non-unique"),
    ("notification-config", "telegram.notification_levels", [], "telegram.notification_levels", "should be non-empty"),
    ("notification-config", "telegram.chat_id", "my chat", "telegram.chat_id", "does not match"),
    ("notification-config", "telegram.bot_token", "x", "telegram.bot_token", "unknown key"),
    ("notification-config", "telegram.bot_token_secret", "123456:AAE-not-a-real-token", "telegram.bot_token_secret", "never hold the value"),
    ("notification-config", "telegram.bot_token_secret",
     "arn:aws:secretsmanager:us-east-1:123456789012:secret:trading-bot/dev/telegram-AbCdEf", None, ""),
    ("notification-config", "email.smtp_port", 70000, "email.smtp_port", "maximum of 65535"),
    ("notification-config", "email.smtp_port", "587", "email.smtp_port", "not of type 'integer'"),
    ("notification-config", "email.sender_email", "trading-bot", "email.sender_email", "does not match"),
    ("notification-config", "email.recipient_emails", ["a@example.com", "a@example.com"], "email.recipient_emails", "non-unique"),
    ("notification-config", "email.password", "hunter2", "email.password", "unknown key"),
    ("notification-config", "email.password_secret", DELETE, "email.password_secret", "required"),
    ("notification-config", "email.password_secret", "pass word", "email.password_secret", "never hold the value"),
]


@pytest.mark.parametrize("name, path, value, expected_path, words", CASES,
                         ids=[f"{c[0]}:{c[1]}={'<deleted>' if c[2] is DELETE else json.dumps(c[2])[:30]}" for c in CASES])
def test_each_rule_reports_its_json_path_or_accepts_a_valid_value(name, path, value, expected_path, words):
    data = copy.deepcopy(shipped("development"))
    set_path(data[name], path, value)
    found = run_check(data)
    if expected_path is None:
        assert found == []
    else:
        assert [p.path for p in found] == [expected_path], found
        assert words in found[0].message


def test_enabled_email_needs_a_recipient_but_disabled_email_does_not():
    data = copy.deepcopy(shipped("development"))
    data["notification-config"]["email"].update(enabled=False, recipient_emails=[])
    assert run_check(data) == []
    data["notification-config"]["email"]["enabled"] = True
    assert [p.path for p in run_check(data)] == ["email.recipient_emails"]


def test_a_secret_value_in_a_reference_is_never_echoed():
    data = copy.deepcopy(shipped("development"))
    data["notification-config"]["telegram"]["bot_token_secret"] = "987654:SECRET-token-value"
    assert all("SECRET-token-value" not in str(problem) for problem in run_check(data))


def test_a_strategy_on_a_disabled_pair_is_valid_once_the_strategy_is_removed():
    data = copy.deepcopy(shipped("development"))
    data["symbols-config"]["trading_pairs"][2]["enabled"] = False
    assert [p.path for p in run_check(data)] == ["strategies[2].symbol"]
    del data["strategy-config"]["strategies"][2]
    assert run_check(data) == []


def test_every_problem_is_reported_at_once_grouped_by_document():
    data = copy.deepcopy(shipped("development"))
    set_path(data["strategy-config"], "strategies[0].risk_limits.stop_loss_pct", 1.5)
    set_path(data["strategy-config"], "strategies[2].symbol", "XRPUSDT")
    set_path(data["risk-params"], "global_limits.max_positions", 0)
    set_path(data["risk-params"], "position_sizing.default_size_pct", 0.9)
    set_path(data["notification-config"], "email.smtp_port", 0)
    found = run_check(data)
    assert [(Path(p.file).stem, p.path) for p in found] == [
        ("strategy-config", "strategies[0].risk_limits.stop_loss_pct"),
        ("strategy-config", "strategies[2].symbol"),
        ("risk-params", "global_limits.max_positions"),
        ("risk-params", "position_sizing.default_size_pct"),
        ("notification-config", "email.smtp_port"),
    ]


@pytest.mark.parametrize("env", ["development", "production"])
def test_the_shipped_documents_are_valid(env):
    assert run_check(shipped(env)) == []


def test_production_risk_limits_are_stricter_than_development():
    dev, prod = shipped("development"), shipped("production")
    for section in ("global_limits", "position_sizing"):
        for key, value in prod["risk-params"][section].items():
            if isinstance(value, bool):
                continue
            assert value < dev["risk-params"][section][key], f"{section}.{key}"
    dev_limits = {s["name"]: s["risk_limits"] for s in dev["strategy-config"]["strategies"]}
    for strategy in prod["strategy-config"]["strategies"]:
        for key in ("max_position_size", "stop_loss_pct"):
            assert strategy["risk_limits"][key] < dev_limits[strategy["name"]][key], f"{strategy['name']}.{key}"


def test_notification_documents_name_secrets_their_environment_declares():
    """Each *_secret names a secret the environment's Terraform declares (values set out of band)."""
    import re

    for env, short in (("development", "dev"), ("production", "prod")):
        main_tf = (REPO / "infrastructure" / "environments" / env / "main.tf").read_text()
        declared = set(re.findall(r'"([A-Z_]+)"', re.search(r"secret_names\s*=\s*\[([^]]*)\]", main_tf).group(1)))
        notification = shipped(env)["notification-config"]
        for reference in (notification["telegram"]["bot_token_secret"], notification["email"]["password_secret"]):
            prefix, _, name = reference.partition("/")
            assert prefix == f"trading-bot-{short}" and name in declared, reference


def test_require_valid_lists_every_problem_and_fails_with_one_line(tmp_path, monkeypatch, capsys):
    root = tmp_path / "repo"
    (root / "config").mkdir(parents=True)
    for folder in ("schemas", "development"):
        target = root / "config" / folder
        target.mkdir()
        for source in (REPO / "config" / folder).glob("*.json"):
            (target / source.name).write_text(source.read_text())
    risk = root / "config" / "development" / "risk-params.json"
    risk.write_text(risk.read_text().replace('"emergency_stop_loss": 0.15', '"emergency_stop_loss": 1.5'))
    (root / "config" / "development" / "symbols-config.json").write_text("{ not json")
    (root / "config" / "development" / "risk-param.json").write_text("{}")
    monkeypatch.setenv("TBCTL_ROOT", str(root))
    from tbctl import paths

    paths.root.cache_clear()
    try:
        with pytest.raises(UserError) as caught:
            check.require_valid([files.working_tree(ENVIRONMENTS["dev"])])
    finally:
        paths.root.cache_clear()
    listed = capsys.readouterr().out.splitlines()
    assert listed == [
        "config/development/symbols-config.json is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 3",
        "config/development/risk-param.json: (document): not a config document (expected one of: strategy-config, risk-params, symbols-config, notification-config)",
        "config/development/risk-params.json: global_limits.emergency_stop_loss: 1.5 is greater than the maximum of 1",
    ]
    message = str(caught.value)
    assert "\n" not in message and "3 problems in 3 config documents" in message and "Fix:" in message
    assert "global_limits.emergency_stop_loss" in message
