"""The emulator layer: what it adds to moto, observed over HTTP the way Terraform and tbctl see it."""

import threading
import time

import pytest

pytestmark = pytest.mark.integration

ECS_TARGET = "AmazonEC2ContainerServiceV20141113"


@pytest.fixture
def service(fresh_emulator):
    """A Fargate service with a capacity provider strategy and a rollback circuit breaker."""
    ec2, ecs = fresh_emulator.client("ec2"), fresh_emulator.client("ecs")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="svc", Description="svc", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="c")

    def register(image):
        return ecs.register_task_definition(
            family="f", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512",
            containerDefinitions=[{"name": "app", "image": image, "essential": True}])["taskDefinition"]["taskDefinitionArn"]

    first = register("repo:v1")
    ecs.create_service(
        cluster="c", serviceName="s", taskDefinition=first, desiredCount=2,
        capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 100}],
        deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 0,
                                 "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}})
    return fresh_emulator, ecs, register, first


def _describe(ecs):
    return ecs.describe_services(cluster="c", services=["s"])["services"][0]


def _settle(ecs, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        service = _describe(ecs)
        if service["deployments"][0]["rolloutState"] != "IN_PROGRESS":
            return service
        time.sleep(0.2)
    raise AssertionError("rollout never settled")


def test_service_keeps_strategy_and_deployment_configuration(service):
    _, ecs, _, _ = service
    described = _describe(ecs)
    assert described["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 100, "base": 0}] or \
        described["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 100}]
    assert described["deploymentConfiguration"]["maximumPercent"] == 200
    assert described["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert "launchType" not in described or described["launchType"] is None


def test_deployment_rolls_out_then_completes(service):
    _, ecs, register, first = service
    assert _settle(ecs)["deployments"][0]["rolloutState"] == "COMPLETED"
    second = register("repo:v2")
    during = ecs.update_service(cluster="c", service="s", taskDefinition=second)["service"]
    assert [(d["status"], d["rolloutState"]) for d in during["deployments"]] == [("PRIMARY", "IN_PROGRESS"), ("ACTIVE", "COMPLETED")]
    after = _settle(ecs)
    assert [(d["status"], d["rolloutState"], d["taskDefinition"]) for d in after["deployments"]] == [("PRIMARY", "COMPLETED", second)]
    assert after["runningCount"] == 2


def test_armed_failure_is_rolled_back_by_the_circuit_breaker(service):
    emulator, ecs, register, first = service
    _settle(ecs)
    emulator.control("ecs/fail-next-deployment", {"cluster": "c", "service": "s", "reason": "tasks failed to start."})
    ecs.update_service(cluster="c", service="s", taskDefinition=register("repo:broken"))
    after = _settle(ecs)
    assert after["taskDefinition"] == first
    assert after["deployments"][0]["taskDefinition"] == first
    assert any(d["rolloutState"] == "FAILED" for d in after["deployments"])
    assert any("rolling back" in e["message"] for e in after["events"])


def test_throttled_calls_are_retried_within_a_bounded_number_of_attempts(fresh_emulator, monkeypatch):
    """Two throttling answers, then success: tbctl's clients retry (standard mode) and succeed."""
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "scripts"))
    monkeypatch.setenv("TBCTL_LOCAL_PORT", str(fresh_emulator.port))
    from tbctl import target

    target._clients.clear()
    ecs = target.client(target.resolve("local"), "ecs")
    fresh_emulator.control("throttle", {"target": f"{ECS_TARGET}.ListClusters", "count": 2})
    assert ecs.list_clusters()["clusterArns"] == []
    assert fresh_emulator.control("stats")["_throttled"] == 2

    # more throttling than attempts: the call gives up instead of retrying forever
    fresh_emulator.control("throttle", {"target": f"{ECS_TARGET}.ListClusters", "count": 50})
    with pytest.raises(Exception) as raised:
        ecs.list_clusters()
    assert "Throttling" in str(raised.value)
    assert fresh_emulator.control("stats")["_throttled"] == 2 + target.MAX_ATTEMPTS
    target._clients.clear()


def test_conditional_writes_have_exactly_one_winner(fresh_emulator):
    s3 = fresh_emulator.client("s3")
    s3.create_bucket(Bucket="locks")
    for _ in range(10):
        s3.delete_object(Bucket="locks", Key="state.tflock")
        winners = []

        def acquire(n):
            try:
                fresh_emulator.client("s3").put_object(Bucket="locks", Key="state.tflock", Body=str(n).encode(), IfNoneMatch="*")
                winners.append(n)
            except Exception:  # PreconditionFailed: someone else holds it
                pass

        threads = [threading.Thread(target=acquire, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(winners) == 1


def test_tls_only_bucket_policy_admits_emulator_requests_but_deny_still_denies(fresh_emulator):
    import json

    s3 = fresh_emulator.client("s3")
    s3.create_bucket(Bucket="tls-only")
    tls_only = {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": [tls_only]}))
    s3.put_object(Bucket="tls-only", Key="state", Body=b"ok")
    assert s3.get_object(Bucket="tls-only", Key="state")["Body"].read() == b"ok"

    deny_reads = {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::tls-only/*"}
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": [tls_only, deny_reads]}))
    with pytest.raises(Exception) as raised:
        s3.get_object(Bucket="tls-only", Key="state")
    assert "403" in str(raised.value) or "AccessDenied" in str(raised.value) or "Forbidden" in str(raised.value)


def test_task_definitions_list_newest_first_in_pages(fresh_emulator):
    ecs = fresh_emulator.client("ecs")
    for n in range(12):
        ecs.register_task_definition(family="paged", containerDefinitions=[{"name": "a", "image": f"x:{n}", "memory": 64}])
    first = ecs.list_task_definitions(familyPrefix="paged", sort="DESC", maxResults=5)
    assert [arn.rsplit(":", 1)[1] for arn in first["taskDefinitionArns"]] == ["12", "11", "10", "9", "8"]
    pages = ecs.get_paginator("list_task_definitions").paginate(familyPrefix="paged", PaginationConfig={"PageSize": 5})
    revisions = [int(arn.rsplit(":", 1)[1]) for page in pages for arn in page["taskDefinitionArns"]]
    assert revisions == list(range(1, 13))


def test_lifecycle_rules_read_back_as_written(fresh_emulator):
    s3 = fresh_emulator.client("s3")
    s3.create_bucket(Bucket="lifecycle")
    with pytest.raises(Exception) as raised:  # none yet: S3's own error, not a server fault
        s3.get_bucket_lifecycle_configuration(Bucket="lifecycle")
    assert "NoSuchLifecycleConfiguration" in str(raised.value)
    rule = {"ID": "keep-recent", "Status": "Enabled", "Filter": {"Prefix": ""},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 30, "NewerNoncurrentVersions": 5}}
    s3.put_bucket_lifecycle_configuration(Bucket="lifecycle", LifecycleConfiguration={"Rules": [rule]})
    read = s3.get_bucket_lifecycle_configuration(Bucket="lifecycle")["Rules"][0]
    assert read["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30, "NewerNoncurrentVersions": 5}


FARGATE = {"family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512"}


@pytest.mark.parametrize("request_, words", [
    ({**FARGATE, "containerDefinitions": [{"name": "app", "image": "repo:v1"}, {"name": "app", "image": "repo:v2"}]},
     ["container name 'app' is used twice"]),
    ({**FARGATE, "containerDefinitions": [{"name": "app", "image": "repo:v1", "portMappings": [{"containerPort": 70000}]}]},
     ["containerPort 70000 is outside 1-65535"]),
    ({**FARGATE, "containerDefinitions": [{"name": "app", "image": "repo:v1", "memory": 1024}]},
     ["container app memory 1024 MiB is above the task's 512 MiB"]),
    ({**FARGATE, "containerDefinitions": [{"name": "app", "image": "repo:v1", "logConfiguration": {
        "logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "p"}}}]},
     ["logs with awslogs, which Fargate allows only with executionRoleArn"]),
    ({**FARGATE, "cpu": "256", "memory": "4096", "containerDefinitions": [{"name": "app", "image": "repo:v1"}]},
     ["cpu 256 with memory 4096 is not a valid Fargate pair"]),
], ids=["duplicate names", "port 70000", "container memory", "awslogs without role", "Fargate pair"])
def test_register_task_definition_refuses_what_aws_refuses_with_its_client_exception(fresh_emulator, request_, words):
    """The same rules as the deploy tool's validator: a definition AWS refuses cannot be registered locally either."""
    ecs = fresh_emulator.client("ecs")
    with pytest.raises(ecs.exceptions.ClientException) as caught:
        ecs.register_task_definition(**request_)
    for word in words:
        assert word in caught.value.response["Error"]["Message"]
    assert ecs.list_task_definitions(familyPrefix="f")["taskDefinitionArns"] == []


def test_register_task_definition_takes_vcpu_and_gb_and_stores_units_as_ecs_does(fresh_emulator):
    ecs = fresh_emulator.client("ecs")
    registered = ecs.register_task_definition(**{**FARGATE, "cpu": "1 vCPU", "memory": "2 GB"},
                                              containerDefinitions=[{"name": "app", "image": "repo:v1"}])["taskDefinition"]
    assert (registered["cpu"], registered["memory"]) == ("1024", "2048")


def test_verify_finds_secrets_in_every_form_valuefrom_takes(fresh_emulator):
    """An SSM name, an SSM ARN, a Secrets Manager ARN with a JSON key: each passes the validator, so each must be found."""
    from tbctl import verify
    from tbctl.target import Target

    secrets, ssm = fresh_emulator.client("secretsmanager"), fresh_emulator.client("ssm")
    arn = secrets.create_secret(Name="db", SecretString='{"password": "x"}')["ARN"]
    ssm.put_parameter(Name="/trading/db-password", Value="x", Type="SecureString")
    ssm.put_parameter(Name="flat", Value="x", Type="SecureString")
    account_region = arn.split(":")[3:5]
    ssm_arn = ":".join(["arn:aws:ssm", *account_region, "parameter"])
    target = Target("local", "us-east-1", fresh_emulator.endpoint)
    found = [f"{arn}:password::", "/trading/db-password", "flat", f"{ssm_arn}/trading/db-password", f"{ssm_arn}/flat"]
    assert [verify._secret(target, reference) for reference in found] == [None] * len(found)
    missing = [f"{arn[:-6]}NoSuch:password::", "/trading/none", f"{ssm_arn}/none"]
    assert all(verify._secret(target, reference) for reference in missing)
