"""An environment's Terraform outputs, read straight from its state in the S3 backend.

Like ecspresso's tfstate lookup: no terraform process, one GetObject, so the
release commands start fast and every value has one source, the Terraform.
"""

import json

from tbctl.errors import UserError
from tbctl.target import Target, client
from tbctl.terraform.workspace import state_bucket, state_key


def read(env, target: Target) -> dict:
    """{output name: value} of `env` on `target`; a clear error when it was never applied."""
    if target.local:
        from tbctl.emulator import control

        control.up(quiet=True)
    s3 = client(target, "s3")
    bucket, key = state_bucket(target), state_key(env.name)
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except Exception as exc:  # botocore's ClientError, imported lazily
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        if code in {"NoSuchKey", "NoSuchBucket", "404"}:
            raise UserError(f"{env.name} has not been applied on TARGET={target.name} (no state at s3://{bucket}/{key})",
                            f"run `make apply ENV={env.short}`") from None
        raise
    state = json.loads(body)
    outputs = {name: item.get("value") for name, item in state.get("outputs", {}).items()}
    if not outputs:
        raise UserError(f"{env.name} has no Terraform outputs on TARGET={target.name}", f"run `make apply ENV={env.short}`")
    return outputs
