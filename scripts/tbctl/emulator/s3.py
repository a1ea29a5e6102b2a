"""Makes moto's S3 behave like S3 where our Terraform and tools depend on it.

Conditional writes are atomic, and bucket policies' conditions are evaluated
(see install_policy_conditions) instead of denying every request.

moto checks If-None-Match / If-Match and then writes, with no lock between the
two, and its server answers on many threads: two writers can both pass the
check. Terraform's S3 lock file (`use_lockfile`) and the config store's
compare-and-swap both rely on exactly one winner, so writes to one bucket are
serialised here.
"""

import threading

_lock = threading.Lock()


def install() -> None:
    from moto.s3 import responses

    if getattr(responses.S3Response, "_tbctl_atomic", False):
        return
    original = responses.S3Response.put_object

    def put_object(self, *args, **kwargs):
        with _lock:
            return original(self, *args, **kwargs)

    responses.S3Response.put_object = put_object
    responses.S3Response._tbctl_atomic = True
    install_policy_conditions()
    install_lifecycle_newer_versions()


# The emulator stands in for S3's HTTPS endpoint, so requests count as secure transport.
REQUEST_CONTEXT = {"aws:SecureTransport": "true"}


def _conditions_hold(statement: dict) -> bool:
    """Whether a statement's Condition holds for an emulator request.

    moto treats any statement whose condition it cannot verify as a match, so a
    standard TLS-only policy (Deny when aws:SecureTransport is false) denies every
    request. Here a Bool condition is evaluated against REQUEST_CONTEXT; any other
    condition is taken as not holding (the emulator has no identity to test it on).
    """
    for operator, pairs in (statement.get("Condition") or {}).items():
        if operator != "Bool":
            return False
        for key, expected in pairs.items():
            wanted = [str(v).lower() for v in (expected if isinstance(expected, list) else [expected])]
            if REQUEST_CONTEXT.get(key, "").lower() not in wanted:
                return False
    return True


def install_policy_conditions() -> None:
    import json

    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3 import models

    if getattr(models.FakeBucket, "_tbctl_conditions", False):
        return

    def get_permission(self, action: str, resource: str):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy)
        statements = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
        applicable = [{k: v for k, v in s.items() if k != "Condition"} for s in statements if _conditions_hold(s)]
        if not applicable:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({"Version": "2012-10-17", "Statement": applicable})).is_action_permitted(action, resource)

    models.FakeBucket.get_permission = get_permission
    models.FakeBucket._tbctl_conditions = True


def install_lifecycle_newer_versions() -> None:
    """Keep NoncurrentVersionExpiration.NewerNoncurrentVersions, which moto drops.

    Without it the provider's wait for the lifecycle rules to read back as
    written never ends, and a plan after apply would show the rule changing.
    """
    from moto.s3 import models, responses

    if getattr(models.FakeBucket, "_tbctl_lifecycle", False):
        return
    original_set = models.FakeBucket.set_lifecycle
    original_get = responses.S3Response.get_bucket_lifecycle

    def set_lifecycle(self, rules):
        original_set(self, rules)
        for stored, given in zip(self.rules, rules):
            expiration = given.get("NoncurrentVersionExpiration") or {}
            stored._tbctl_newer = expiration.get("NewerNoncurrentVersions")

    def get_bucket_lifecycle(self):
        rules = self.backend.get_bucket_lifecycle(self.bucket_name) or []
        newer = {rule.id: rule._tbctl_newer for rule in rules if getattr(rule, "_tbctl_newer", None)}
        serialized = self.serialized

        def with_newer(action_result):
            rules_out = action_result.result.get("Rules", []) if isinstance(action_result.result, dict) else []
            for rule in rules_out:
                if rule.get("ID") in newer and "NoncurrentVersionExpiration" in rule:
                    rule["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"] = newer[rule["ID"]]
            return serialized(action_result)

        self.serialized = with_newer
        return original_get(self)

    models.FakeBucket.set_lifecycle = set_lifecycle
    responses.S3Response.get_bucket_lifecycle = get_bucket_lifecycle
    models.FakeBucket._tbctl_lifecycle = True
