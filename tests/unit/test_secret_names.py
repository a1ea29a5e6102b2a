"""One secret-name rule: the validator, the comment's masker and Terraform's variable validation agree.

Terraform evaluates its copy of the patterns with RE2 (`terraform console`, no
provider, no network); Python with `re`. A table of names and generated names go
through both.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tbctl.comment.mask import Masker
from tbctl.secret_names import is_secret_name, patterns

VARIABLES = Path(__file__).resolve().parents[2] / "infrastructure" / "modules" / "ecs-service" / "variables.tf"

SECRETS = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD", "DB_PASSWD", "GPG_PASSPHRASE",
           "SLACK_TOKEN", "EXCHANGE_API_TOKEN", "AWS_SECRET_ACCESS_KEY", "APIKEY", "SIGNING_PRIVATE_KEY", "GCP_CREDENTIALS",
           "DB_PASS", "password", "master_password", "secret_string", "auth_token", "clientSecret", "x-api-key",
           "private_key_pem", "TOKEN", "SECRET"]
NOT_SECRETS = ["JWT_ACCESS_TOKEN_EXPIRATION", "TOKEN_EXPIRATION", "TOKEN_TTL", "TOKEN_EXPIRY", "PASSWORD_MIN_LENGTH",
               "SECRET_NAME", "SECRET_ARN", "SECRET_ID", "API_KEY_HEADER", "PASSWORD_FILE", "TOKEN_URL", "MAX_TOKENS",
               "SECRETS_PATH", "secret_names", "secret_recovery_window_days", "password_wo_version", "LOG_LEVEL",
               "MONKEY_COUNT", "KEYBOARD", "BYPASS", "PASSPORT_COUNTRY", "TRADING_MODE", "CONFIG_BUCKET", ""]


@pytest.mark.parametrize("name", SECRETS)
def test_names_of_secrets_are_secret(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", NOT_SECRETS)
def test_settings_about_secrets_and_ordinary_names_are_not(name):
    assert not is_secret_name(name)


def _terraform_patterns() -> tuple[str, str]:
    text = VARIABLES.read_text()
    block = text[text.index('variable "environment_variables"'):text.index('variable "secret_names"')]
    found = re.search(r'!\(can\(regex\("(.*?)", key\)\) && !can\(regex\("(.*?)", key\)\)\)', block)
    assert found, "the environment_variables validation no longer has the shape this test reads"
    return found.group(1), found.group(2)


def test_terraform_carries_exactly_the_rule_file_patterns():
    assert _terraform_patterns() == patterns()


def test_the_patterns_need_nothing_re2_lacks():
    for pattern in patterns():
        assert not re.search(r"\(\?[=!<]|\\[1-9]|\\Z", pattern), "lookarounds and back-references are not RE2"
        assert "\\" not in pattern and '"' not in pattern, "written verbatim into an HCL string"


def _terraform_verdicts(names: list[str]) -> list[bool]:
    """What Terraform's own validation expression says of each name."""
    terraform = shutil.which(os.environ.get("TERRAFORM", "terraform"))
    assert terraform, "terraform is part of this repo's toolchain"
    secret, not_secret = _terraform_patterns()
    # An HCL string reads ${ and %{ as templates: doubled, they are the literal characters.
    literal = json.dumps(json.dumps(names)).replace("${", "$${").replace("%{", "%%{")
    expression = (f"jsonencode([for key in jsondecode({literal}) : "
                  f'can(regex("{secret}", key)) && !can(regex("{not_secret}", key))])')
    done = subprocess.run([terraform, "console"], input=expression, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, CHECKPOINT_DISABLE="1", TF_CLI_CONFIG_FILE=os.devnull),
                          cwd=Path(__file__).parent)  # a folder without .tf files: no configuration to load
    assert done.returncode == 0, done.stderr
    return json.loads(json.loads(done.stdout.strip()))


def test_terraform_and_python_agree_on_the_table():
    names = SECRETS + NOT_SECRETS
    assert _terraform_verdicts(names) == [is_secret_name(name) for name in names]


WORDS = ["SECRET", "secret", "Secret", "PASSWORD", "password", "PASSWD", "PASS", "pass", "TOKEN", "token", "Token", "API",
         "KEY", "key", "APIKEY", "PRIVATE", "CREDENTIAL", "CREDENTIALS", "PASSPHRASE", "EXPIRATION", "TTL", "LENGTH", "NAME",
         "ARN", "ID", "MAX", "MIN", "NUM", "URL", "FILE", "HEADER", "JWT", "ACCESS", "DB", "BYBIT", "X", "1"]
NAMES = st.lists(st.sampled_from(WORDS) | st.text("AZaz09", min_size=1, max_size=3), min_size=1, max_size=5).flatmap(
    lambda words: st.lists(st.sampled_from(["_", "-", ".", ""]), min_size=len(words) - 1, max_size=len(words) - 1).map(
        lambda seps: "".join(w + s for w, s in zip(words, seps + [""]))))


@settings(max_examples=int(os.environ.get("TBCTL_SECRET_NAME_EXAMPLES", "5")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAMES | st.text(max_size=20) | st.sampled_from(["${x}", "%{y}", "a\nb", "TOKEN_TTL\n", "ſecret", "\u212aey"]),
                min_size=50, max_size=200))
def test_terraform_and_python_agree_on_generated_names(names):
    assert _terraform_verdicts(names) == [is_secret_name(name) for name in names]


def test_the_masker_collects_values_by_the_same_rule():
    masker = Masker()
    masker.collect_named({"environment": [{"name": "TELEGRAM_BOT_TOKEN", "value": "tg-value-1"},
                                          {"name": "JWT_ACCESS_TOKEN_EXPIRATION", "value": "900-seconds"}],
                          "db_password": "pw-value-22", "password_min_length": "12345"})
    assert masker.secrets == {"tg-value-1", "pw-value-22"}
