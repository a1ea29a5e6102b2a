"""Each validation rule a rendered task definition must pass before anything touches AWS.

Every AWS rule has rows here citing the AWS page it comes from; every form AWS
accepts (the second table) must pass.
"""

import copy
import json
from pathlib import Path

import pytest

from tbctl import validate
from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError
from tbctl.release import Release
from tbctl.render import render
from tbctl.validate import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "deploy"
TEMPLATES = Path(__file__).resolve().parents[2] / "task-definitions"
V = validate


def valid(env="dev"):
    values = json.loads((FIXTURES / f"outputs-{env}.json").read_text())
    release = Release(tag="v1", commit="b" * 40, image_tag="v1", dirty=False)
    return render("trading-bot", values, release, ENVIRONMENTS[env], TEMPLATES)


def container(request, index=0):
    return request["containerDefinitions"][index]


def change(fn, env="dev"):
    request = copy.deepcopy(valid(env))
    fn(request)
    return request


def sidecar(request, **fields):
    """A second container, as a log router or a proxy would be."""
    request["containerDefinitions"].append({"name": "sidecar", "image": "public.ecr.aws/x/sidecar:1", "essential": False,
                                           **fields})


def port(request, **mapping):
    container(request)["portMappings"] = [mapping]


def ec2(request, mode="bridge"):
    request.update(requiresCompatibilities=["EC2"], networkMode=mode)


# (rule, the AWS page it cites, env, change, words the one line must contain)
AWS_CASES = [
    ("family_name", V.REGISTER, "dev", lambda r: r.update(family="trading bot"), ["family 'trading bot'"]),
    ("family_name", V.REGISTER, "dev", lambda r: r.update(family="x" * 256), ["1-255 letters"]),
    ("container_count", V.QUOTAS, "dev", lambda r: r.update(containerDefinitions=[]), ["1 to 10 containers, not 0"]),
    ("container_count", V.QUOTAS, "dev",
     lambda r: [sidecar(r, name=f"s{i}") for i in range(10)], ["1 to 10 containers, not 11"]),
    ("container_names", V.CONTAINER, "dev", lambda r: sidecar(r, name="trading-bot"), ["'trading-bot' is used twice"]),
    ("container_names", V.CONTAINER, "dev", lambda r: sidecar(r, name="log router"), ["container name 'log router'"]),
    ("container_names", V.CONTAINER, "dev", lambda r: container(r).pop("name"), ["container #0 has no name"]),
    ("container_image", V.CONTAINER, "dev", lambda r: container(r).pop("image"), ["has no image"]),
    ("container_image", V.CONTAINER, "dev", lambda r: container(r).update(image="repo/app@sha256:abc"),
     ["image digest 'sha256:abc'"]),
    ("container_image", V.CONTAINER, "dev", lambda r: container(r).update(image="repo/app:v1 beta"), ["must be up to 255"]),
    ("essential_container", V.CONTAINER, "dev", lambda r: container(r).update(essential=False), ["no container is essential"]),
    ("task_size_units", V.REGISTER, "dev", lambda r: r.update(cpu="one vcpu"), ["task cpu 'one vcpu' is neither"]),
    ("task_size_units", V.REGISTER, "dev", lambda r: r.update(memory="512 MB"), ["task memory '512 MB' is neither"]),
    ("task_size_units", V.REGISTER, "dev", lambda r: (ec2(r), r.update(cpu="64")), ["task cpu 64 is outside 128-196608"]),
    ("fargate_size", V.FARGATE_SIZE, "dev", lambda r: r.update(cpu="256", memory="4096"), ["cpu 256 with memory 4096", "Fargate"]),
    ("fargate_size", V.FARGATE_SIZE, "dev", lambda r: r.update(cpu="300"), ["cpu 300 is not a Fargate size"]),
    ("fargate_size", V.FARGATE_SIZE, "dev", lambda r: r.update(cpu="3 vCPU", memory="8 GB"), ["cpu 3072 is not a Fargate size"]),
    ("fargate_size", V.FARGATE_SIZE, "dev", lambda r: r.pop("memory"), ["Fargate needs task-level cpu and memory"]),
    ("fargate_network_mode", V.REGISTER, "dev", lambda r: r.pop("networkMode"), ["Fargate needs networkMode awsvpc, not bridge"]),
    ("fargate_namespaces", V.REGISTER, "dev", lambda r: r.update(pidMode="host"), ["pidMode task only"]),
    ("fargate_namespaces", V.REGISTER, "dev", lambda r: r.update(ipcMode="task"), ["Fargate does not take ipcMode"]),
    ("fargate_container_parameters", V.FARGATE_DIFFERENCES, "dev", lambda r: container(r).update(privileged=True),
     ["Fargate does not support privileged"]),
    ("fargate_container_parameters", V.FARGATE_DIFFERENCES, "dev",
     lambda r: container(r).update(linuxParameters={"sharedMemorySize": 64}), ["Fargate does not support linuxParameters.sharedMemorySize"]),
    ("fargate_container_parameters", V.FARGATE_DIFFERENCES, "dev",
     lambda r: r.update(volumes=[{"name": "data", "host": {"sourcePath": "/data"}}]), ["volume data: Fargate does not support host"]),
    ("container_memory", V.CONTAINER, "dev", lambda r: container(r).update(memory=1024), ["memory 1024 MiB is above the task's 512 MiB"]),
    ("container_memory", V.CONTAINER, "dev", lambda r: container(r).update(memoryReservation=600),
     ["memoryReservation 600 MiB is above the task's 512 MiB"]),
    ("container_memory", V.CONTAINER, "dev", lambda r: container(r).update(memory=256, memoryReservation=300),
     ["memoryReservation 300 MiB is above its memory 256 MiB"]),
    ("container_memory", V.CONTAINER, "dev", lambda r: (container(r).update(memory=300), sidecar(r, memory=300)),
     ["reserve 600 MiB together, above the task's 512 MiB"]),
    ("container_memory", V.CONTAINER, "dev", lambda r: (ec2(r), r.pop("memory")),
     ["needs memory or memoryReservation when the task sets no memory"]),
    ("container_cpu", V.CONTAINER, "dev", lambda r: container(r).update(cpu=512), ["cpu adds up to 512 units, above the task's 256"]),
    ("container_cpu", V.CONTAINER, "dev", lambda r: (container(r).update(cpu=200), sidecar(r, cpu=100)),
     ["adds up to 300 units"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, containerPort=70000), ["containerPort 70000 is outside 1-65535"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, containerPort=0), ["containerPort 0 is outside 1-65535"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, containerPort=8080, hostPort=70000), ["hostPort 70000 is outside 1-65535"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, containerPort=8080, hostPort=0), ["hostPort 0 is outside 1-65535"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, containerPort=8080, hostPort=80),
     ["under networkMode awsvpc hostPort 80 must equal containerPort 8080"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: (ec2(r, "host"), port(r, containerPort=8080, hostPort=80)),
     ["under networkMode host hostPort 80"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: (ec2(r, "none"), port(r, containerPort=8080)), ["networkMode none takes no portMappings"]),
    ("port_mappings", V.PORT_MAPPING, "dev",
     lambda r: container(r).update(portMappings=[{"containerPort": 53, "protocol": "tcp"}, {"containerPort": 53, "protocol": "udp"}]),
     ["containerPort 53 is exposed for both tcp and udp"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, hostPort=8080), ["needs containerPort or containerPortRange"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, containerPortRange="9000-8000"), ["containerPortRange '9000-8000'"]),
    ("port_mappings", V.PORT_MAPPING, "dev", lambda r: port(r, containerPort=8080, name="-web"), ["port mapping name '-web'"]),
    ("container_links", V.CONTAINER, "dev", lambda r: (ec2(r), container(r).update(links=["db:database"])),
     ["link 'db:database' names no container"]),
    ("container_links", V.CONTAINER, "dev", lambda r: (sidecar(r), container(r).update(links=["sidecar"])),
     ["links need networkMode bridge"]),
    ("awsvpc_host_settings", V.CONTAINER, "dev", lambda r: container(r).update(hostname="bot"), ["hostname is not supported with networkMode awsvpc"]),
    ("container_dependencies", V.DEPENDENCY, "dev",
     lambda r: container(r).update(dependsOn=[{"containerName": "db", "condition": "START"}]), ["depends on 'db', which is no other container"]),
    ("container_dependencies", V.DEPENDENCY, "dev",
     lambda r: (sidecar(r, essential=True), container(r).update(dependsOn=[{"containerName": "sidecar", "condition": "SUCCESS"}])),
     ["waits for sidecar to success, but sidecar is essential"]),
    ("container_dependencies", V.DEPENDENCY, "dev",
     lambda r: (sidecar(r), container(r).update(dependsOn=[{"containerName": "sidecar", "condition": "HEALTHY"}])),
     ["sidecar has no healthCheck"]),
    ("container_volumes", V.CONTAINER, "dev",
     lambda r: container(r).update(mountPoints=[{"sourceVolume": "data", "containerPath": "/data"}]), ["mountPoint volume 'data' is not in the task's volumes"]),
    ("container_volumes", V.CONTAINER, "dev",
     lambda r: container(r).update(volumesFrom=[{"sourceContainer": "other"}]), ["volumesFrom 'other' names no container"]),
    ("secret_references", V.SECRET, "dev",
     lambda r: container(r)["secrets"].append({"name": "DB_PASSWORD", "valueFrom": "arn:aws:s3:::bucket/key"}),
     ["secret DB_PASSWORD valueFrom 'arn:aws:s3:::bucket/key' is not a Secrets Manager or SSM ARN"]),
    ("secret_references", V.SECRET, "dev",
     lambda r: container(r)["secrets"].append({"name": "DB_PASSWORD", "valueFrom": "my password"}), ["neither an ARN nor a parameter name"]),
    ("execution_role", V.EXECUTION_ROLE, "dev", lambda r: (r.pop("executionRoleArn"), container(r).pop("secrets")),
     ["logs with awslogs, which Fargate allows only with executionRoleArn"]),
    ("execution_role", V.EXECUTION_ROLE, "dev", lambda r: (r.pop("executionRoleArn"), container(r).pop("logConfiguration")),
     ["has secrets, which need executionRoleArn"]),
    ("execution_role", V.EXECUTION_ROLE, "dev",
     lambda r: (r.pop("executionRoleArn"), container(r).pop("logConfiguration"), container(r).pop("secrets")),
     ["pulls from ECR, which Fargate allows only with executionRoleArn"]),
    ("log_configuration", V.LOG_CONFIGURATION, "dev",
     lambda r: container(r).update(logConfiguration={"logDriver": "json-file"}), ["Fargate takes log drivers awslogs, splunk, awsfirelens, not json-file"]),
    ("log_configuration", V.LOG_CONFIGURATION, "dev",
     lambda r: container(r)["logConfiguration"]["options"].pop("awslogs-stream-prefix"), ["awslogs needs the options awslogs-stream-prefix"]),
    ("health_check", V.HEALTH_CHECK, "dev",
     lambda r: container(r).update(healthCheck={"command": ["curl", "-f", "localhost"]}), ["must start with CMD or CMD-SHELL"]),
    ("health_check", V.HEALTH_CHECK, "dev",
     lambda r: container(r).update(healthCheck={"command": ["CMD", "true"], "timeout": 90}), ["healthCheck timeout 90 is outside 2-60"]),
    ("fargate_timeouts", V.CONTAINER, "dev", lambda r: container(r).update(stopTimeout=300), ["stopTimeout 300 is outside Fargate's 2-120"]),
    ("tags", V.REGISTER, "dev", lambda r: r["tags"].append({"key": "aws:team", "value": "q"}), ["reserved prefix aws:"]),
    ("tags", V.REGISTER, "dev", lambda r: r["tags"].append(dict(r["tags"][0])), ["a tag key is used twice"]),
    ("ephemeral_storage", V.REGISTER, "dev", lambda r: r.update(ephemeralStorage={"sizeInGiB": 500}), ["sizeInGiB 500 is outside 21-200"]),
]

HOUSE_CASES = [
    ("latest image", "dev", lambda r: container(r).update(image="repo/trading-bot:latest"), ["'latest' tag"]),
    ("untagged image", "dev", lambda r: container(r).update(image="localhost:5000/trading-bot"), ["'latest' tag"]),
    ("secret in environment", "dev", lambda r: container(r)["environment"].append({"name": "BYBIT_API_KEY", "value": "x"}),
     ["BYBIT_API_KEY", "looks like a secret", "secrets"]),
    ("token in environment", "dev", lambda r: container(r)["environment"].append({"name": "SLACK_TOKEN", "value": "x"}),
     ["SLACK_TOKEN"]),
    ("production without health check", "prod", lambda r: container(r).pop("healthCheck"), ["production needs a healthCheck"]),
    ("unknown container key", "dev", lambda r: container(r).update(imageTag="v1"), ["unknown key $.containerDefinitions[0].imageTag"]),
    ("wrong type", "dev", lambda r: container(r).update(essential="yes"), ["$.containerDefinitions[0].essential must be true or false"]),
    ("a number where AWS wants a string", "dev", lambda r: r.update(cpu=256), ["$.cpu must be a string"]),
    ("true where AWS wants a number", "dev", lambda r: container(r).update(memory=True), ["$.containerDefinitions[0].memory must be an integer"]),
    ("bad enum", "dev", lambda r: r.update(networkMode="vpc"), ["$.networkMode is 'vpc'"]),
    ("missing required", "dev", lambda r: r.pop("family"), ["missing key $.family"]),
    ("more tags than the model allows", "dev", lambda r: r["tags"].extend({"key": f"k{i}", "value": "v"} for i in range(50)),
     ["$.tags holds", "outside 0-50"]),
    ("a tag key longer than the model allows", "dev", lambda r: r["tags"].append({"key": "k" * 129, "value": "v"}),
     ["is 129 characters long, outside 1-128"]),
    ("a line break in a value stays one line", "dev", lambda r: r.update(family="bot\nname"), ["family 'bot\\nname'"]),
]


def refusal(request, env) -> str:
    with pytest.raises(UserError) as caught:
        check(request, ENVIRONMENTS[env].production)
    text = str(caught.value)
    assert "\n" not in text and ". Fix: " in text
    return text


@pytest.mark.parametrize("rule, doc, env, fn, words", AWS_CASES, ids=[f"{c[0]}: {c[4][0]}" for c in AWS_CASES])
def test_each_aws_rule_refuses_what_its_page_says_aws_refuses(rule, doc, env, fn, words):
    assert {r.name: r.doc for r in validate.AWS_RULES}[rule] == doc, "the row must cite the page its rule comes from"
    assert doc.startswith("https://docs.aws.amazon.com/AmazonECS/")
    request = change(fn, env)
    text = refusal(request, env)
    for word in words:
        assert word in text
    # The emulator runs the same rules: what AWS would refuse is refused there too, with the same words.
    assert any(all(word in problem for word in words) for problem in validate.aws_problems(request))


def test_every_aws_rule_has_a_row():
    assert {rule.name for rule in validate.AWS_RULES} == {case[0] for case in AWS_CASES}


@pytest.mark.parametrize("name, env, fn, words", HOUSE_CASES, ids=[c[0] for c in HOUSE_CASES])
def test_each_house_and_shape_rule_refuses_with_one_line_naming_the_problem_and_the_fix(name, env, fn, words):
    text = refusal(change(fn, env), env)
    for word in words:
        assert word in text


# Forms AWS accepts (each from the same pages): every one must pass, and the emulator must take it too.
ACCEPTED = [
    ("cpu in vCPUs", lambda r: r.update(cpu="1 vCPU", memory="2048")),
    ("cpu in lower-case vcpu", lambda r: r.update(cpu="1 vcpu", memory="2 GB")),
    ("quarter vCPU", lambda r: r.update(cpu=".25 vCPU", memory="0.5 GB")),
    ("memory in GB without a space", lambda r: r.update(cpu="512", memory="2GB")),
    ("largest Fargate size", lambda r: r.update(cpu="16 vCPU", memory="120 GB")),
    ("hostPort left out under awsvpc", lambda r: port(r, containerPort=8080)),
    ("hostPort 0 under bridge", lambda r: (ec2(r), port(r, containerPort=8080, hostPort=0))),
    ("bridge hostPort other than containerPort", lambda r: (ec2(r), port(r, containerPort=8080, hostPort=80))),
    ("ports at the edges", lambda r: container(r).update(portMappings=[{"containerPort": 1}, {"containerPort": 65535}])),
    ("one port for tcp twice", lambda r: container(r).update(portMappings=[{"containerPort": 53}, {"containerPort": 53, "protocol": "tcp"}])),
    ("container memory equal to the task's", lambda r: container(r).update(memory=512, memoryReservation=512)),
    ("container cpu equal to the task's", lambda r: container(r).update(cpu=256)),
    ("two containers sharing the task", lambda r: (container(r).update(memoryReservation=256, cpu=128), sidecar(r, memoryReservation=256, cpu=128))),
    ("a secret from an SSM parameter name", lambda r: container(r)["secrets"].append({"name": "DB_PASSWORD", "valueFrom": "/trading/db-password"})),
    ("a secret's JSON key", lambda r: container(r)["secrets"].append(
        {"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::"})),
    ("an image by digest", lambda r: container(r).update(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/bot@sha256:" + "a" * 64)),
    ("a sidecar waiting for the bot to be healthy", lambda r: (container(r).update(healthCheck={"command": ["CMD", "true"]}),
                                                           sidecar(r, dependsOn=[{"containerName": "trading-bot", "condition": "HEALTHY"}]))),
    ("links under bridge", lambda r: (ec2(r), sidecar(r, memory=128), container(r).update(links=["sidecar:side"]))),
    ("EC2 without execution role, no secrets", lambda r: (ec2(r), r.pop("executionRoleArn"), container(r).pop("secrets"),
                                                          container(r).pop("logConfiguration"))),
    ("settings about secrets in environment", lambda r: container(r)["environment"].extend(
        {"name": name, "value": "1"} for name in ("JWT_ACCESS_TOKEN_EXPIRATION", "TOKEN_TTL", "PASSWORD_MIN_LENGTH", "SECRET_NAME",
                                                  "SECRET_ARN", "MAX_TOKENS", "MONKEY_COUNT", "KEYBOARD"))),
]


@pytest.mark.parametrize("name, fn", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_what_aws_accepts_passes(name, fn):
    request = change(fn)
    check(request, production=False)
    assert validate.aws_problems(request) == []


@pytest.mark.parametrize("text, units", [("1024", 1024), ("1 vCPU", 1024), ("1 vcpu", 1024), ("2vCPU", 2048), (".25 vCPU", 256),
                                         ("0.5 vcpu", 512), ("1.3 vCPU", None), ("one", None), ("-1", None)])
def test_cpu_is_read_as_aws_reads_it(text, units):
    assert validate.cpu_units(text) == units


@pytest.mark.parametrize("text, mib", [("2048", 2048), ("2 GB", 2048), ("2GB", 2048), ("0.5 GB", 512), ("1 gb", 1024),
                                       ("512 MB", None), ("2 GiB", None)])
def test_memory_is_read_as_aws_reads_it(text, mib):
    assert validate.memory_mib(text) == mib


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_rendered_template_passes_every_rule(env):
    check(valid(env), ENVIRONMENTS[env].production)


def test_a_definition_copied_from_describe_task_definition_names_the_keys_to_delete_in_one_short_line():
    described = json.loads((FIXTURES / "describe-task-definition.json").read_text())["taskDefinition"]
    text = refusal(described, "dev")
    assert "describe-task-definition" in text and len(text) <= 300
    for key in ("taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy"):
        assert key in text
    assert "family" not in text.split("delete", 1)[1]


def test_the_whole_describe_answer_names_the_wrapper_and_every_server_field_within_300_characters():
    described = json.loads((FIXTURES / "describe-task-definition.json").read_text())
    described["taskDefinition"].update(deregisteredAt="2026-01-01T00:00:00Z", deleteRequested=False)
    described["tags"] = [{"key": "team", "value": "quant"}]
    with pytest.raises(UserError) as caught:
        check(described, production=False, name="trading-bot.json.j2 for development")
    text = f"error: {caught.value}"
    assert len(text) <= 300, len(text)
    assert '{"taskDefinition": ...}' in text
    for key in validate.SERVER_FIELDS:
        assert key in text
