"""Which bucket holds an environment's configuration: the `config_bucket` Terraform output.

TBCTL_CONFIG_BUCKET overrides it, for tests and for operators working on a
bucket Terraform does not manage; `{env}` in it becomes the environment's
short name (dev, prod), e.g. TBCTL_CONFIG_BUCKET=test-config-{env}.
"""

import os

from tbctl.errors import UserError

OVERRIDE = "TBCTL_CONFIG_BUCKET"


def name(env, target) -> str:
    override = os.environ.get(OVERRIDE, "").strip()
    if override:
        return override.replace("{env}", env.short)
    from tbctl.terraform import outputs

    bucket = outputs.read(env, target).get("config_bucket")
    if not bucket:
        raise UserError(f"{env.name} has no config_bucket output on TARGET={target.name} (applied before the config store existed)",
                        f"run `make apply ENV={env.short}`")
    return bucket
