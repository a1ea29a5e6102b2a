"""A stand-in for one environment's infrastructure on the emulator, made with boto3.

Shaped like what the environments' Terraform creates (cluster, service with a
circuit breaker, roles, log group, secrets, registry, a baseline revision
tagged managed-by=terraform), with its outputs in `terraform output -json`'s
shape, so the release step can be tested without running terraform.
"""

import json
from pathlib import Path

ACCOUNT = "123456789012"


def create(emulator, short: str, folder: Path, rollback: bool = True) -> tuple[dict, Path]:
    """Create the environment `short` on `emulator`; returns (outputs, path of the outputs file)."""
    name = f"trading-bot-{short}"
    iam, logs, secrets, ecr, ecs = (emulator.client(s) for s in ("iam", "logs", "secretsmanager", "ecr", "ecs"))
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    roles = {role: iam.create_role(RoleName=f"{name}-{role}", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
             for role in ("execution", "task")}
    logs.create_log_group(logGroupName=f"/ecs/{name}")
    secret_arns = {key: secrets.create_secret(Name=f"trading-bot/{short}/{key}", SecretString="stand-in")["ARN"]
                   for key in ("BYBIT_API_KEY", "BYBIT_SECRET_KEY")}
    try:
        repository = ecr.create_repository(repositoryName="trading-bot")["repository"]
    except ecr.exceptions.RepositoryAlreadyExistsException:
        repository = ecr.describe_repositories(repositoryNames=["trading-bot"])["repositories"][0]
    ec2 = emulator.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName=f"{name}-tasks", Description="tasks", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName=name)
    baseline = ecs.register_task_definition(
        family=name, requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512",
        executionRoleArn=roles["execution"],
        containerDefinitions=[{"name": "trading-bot", "image": f"{repository['repositoryUri']}:baseline", "essential": True}],
        tags=[{"key": "managed-by", "value": "terraform"}])["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster=name, serviceName=name, taskDefinition=baseline, desiredCount=1, launchType="FARGATE",
        deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 0,
                                 "deploymentCircuitBreaker": {"enable": True, "rollback": rollback}},
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}})
    outputs = {
        "region": "us-east-1", "environment": {"dev": "development", "prod": "production"}[short], "short_name": short,
        "cluster_name": name, "service_name": name, "family": name, "container_name": "trading-bot",
        "container_port": 8080, "cpu": 256 if short == "dev" else 1024, "memory": 512 if short == "dev" else 2048,
        "capacity_provider": "FARGATE_SPOT", "desired_count": 1,
        "execution_role_arn": roles["execution"], "task_role_arn": roles["task"],
        "log_group_name": f"/ecs/{name}", "log_stream_prefix": "ecs",
        "repository_url": repository["repositoryUri"], "repository_name": "trading-bot",
        "secrets": secret_arns, "environment_variables": {"LOG_LEVEL": "DEBUG", "TRADING_MODE": "paper"},
        "health_check": None if short == "dev" else {
            "command": ["CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"],
            "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 60},
    }
    path = folder / f"outputs-{short}.json"
    path.write_text(json.dumps({k: {"value": v, "type": "any", "sensitive": False} for k, v in outputs.items()}))
    return outputs, path
