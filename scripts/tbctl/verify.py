"""Before registering: does everything the revision points at exist? Names each missing item.

Image tag in ECR, the secrets, the log group, the execution and task roles.
"""

from tbctl import target as targets
from tbctl.errors import UserError


def _code(exc) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "")


def _image(target, repository: str, image_tag: str) -> str | None:
    ecr = targets.client(target, "ecr")
    try:
        ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": image_tag}])
    except (ecr.exceptions.ImageNotFoundException, ecr.exceptions.RepositoryNotFoundException):
        return f"image {repository}:{image_tag} in ECR"
    return None


def _secret(target, reference: str) -> str | None:
    """`reference` as valueFrom takes it: a Secrets Manager ARN (maybe with :json-key:stage:version after the
    name), an SSM parameter ARN, or an SSM parameter's name (validate.secret_references)."""
    if ":ssm:" in reference or not reference.startswith("arn:"):
        ssm = targets.client(target, "ssm")
        # An ARN's "parameter/a/b" is the name "/a/b"; its "parameter/name" is "name".
        rest = reference.split(":parameter/", 1)[-1] if reference.startswith("arn:") else reference
        names = [rest] if not reference.startswith("arn:") else [rest, f"/{rest}"]
        if not ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": names}]).get("Parameters"):
            return f"parameter {reference}"
        return None
    secrets = targets.client(target, "secretsmanager")
    arn = ":".join(reference.split(":")[:7])  # arn:aws:secretsmanager:region:account:secret:name
    try:
        answer = secrets.describe_secret(SecretId=arn)
    except secrets.exceptions.ResourceNotFoundException:
        return f"secret {reference}"
    if answer.get("DeletedDate"):
        return f"secret {reference} (scheduled for deletion)"
    return None


def _log_group(target, name: str) -> str | None:
    logs = targets.client(target, "logs")
    groups = logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
    return None if any(g["logGroupName"] == name for g in groups) else f"log group {name}"


def _role(target, arn: str) -> str | None:
    iam = targets.client(target, "iam")
    try:
        iam.get_role(RoleName=arn.rsplit("/", 1)[-1])
    except iam.exceptions.NoSuchEntityException:
        return f"role {arn}"
    return None


def missing(target, request: dict, repository: str, image_tag: str) -> list[str]:
    """What `request` needs that does not exist on `target`."""
    found = [_image(target, repository, image_tag)]
    for container in request.get("containerDefinitions", []):
        found += [_secret(target, item["valueFrom"]) for item in container.get("secrets") or []]
        options = (container.get("logConfiguration") or {}).get("options") or {}
        if options.get("awslogs-group"):
            found.append(_log_group(target, options["awslogs-group"]))
    found += [_role(target, request[key]) for key in ("executionRoleArn", "taskRoleArn") if request.get(key)]
    return [item for item in found if item]


def verify(target, request: dict, repository: str, image_tag: str, env_short: str) -> None:
    gaps = missing(target, request, repository, image_tag)
    if gaps:
        raise UserError(f"the revision needs what does not exist: {'; '.join(gaps)}",
                        f"push the image (tag {image_tag}) / set the secret values / run make apply ENV={env_short}, then deploy again")
