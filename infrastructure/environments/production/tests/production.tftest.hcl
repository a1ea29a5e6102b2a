# The production environment as issue 2 and issue 6 define it, planned and
# "applied" against a mocked AWS provider: offline, in seconds.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_ecr_repository" {
    defaults = {
      name           = "trading-bot"
      arn            = "arn:aws:ecr:us-east-1:123456789012:repository/trading-bot"
      repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/trading-bot"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mocked" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mocked" }
  }
  mock_resource "aws_ecs_service" {
    defaults = { id = "arn:aws:ecs:us-east-1:123456789012:service/trading-bot-prod/trading-bot-prod" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:mocked" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/mocked" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mocked" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mocked" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:cluster/mocked", id = "arn:aws:ecs:us-east-1:123456789012:cluster/mocked" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/mocked:1" }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = { arn = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-mocked" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:us-east-1:123456789012:rule/mocked" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::123456789012:policy/mocked" }
  }
}

run "environment" {
  command = apply

  assert {
    condition     = output.environment == "production" && output.short_name == "prod" && output.region == "us-east-1"
    error_message = "production must be named production / prod"
  }

  assert {
    condition     = output.cluster_name == "trading-bot-prod" && output.service_name == "trading-bot-prod" && output.family == "trading-bot-prod"
    error_message = "cluster, service and family must all be trading-bot-prod"
  }

  assert {
    condition     = output.config_bucket == "trading-config-prod"
    error_message = "the config bucket must be trading-config-prod"
  }

  assert {
    condition     = output.repository_name == "trading-bot" && output.repository_url == "123456789012.dkr.ecr.us-east-1.amazonaws.com/trading-bot"
    error_message = "the repository comes from the shared trading-bot registry"
  }
}

run "cluster_and_service" {
  command = apply

  assert {
    condition     = module.ecs_service.cluster_settings.container_insights == "enabled"
    error_message = "Container Insights must be on"
  }

  assert {
    condition = (
      length(module.ecs_service.service.capacity_provider_strategy) == 1 &&
      one(module.ecs_service.service.capacity_provider_strategy).capacity_provider == "FARGATE" &&
      one(module.ecs_service.service.capacity_provider_strategy).weight == 100 &&
      output.capacity_provider == "FARGATE"
    )
    error_message = "production runs on FARGATE (on demand) with weight 100"
  }

  assert {
    condition     = one(module.ecs_service.cluster_settings.default_capacity_provider_strategy).capacity_provider == "FARGATE"
    error_message = "the cluster's default strategy must match the service's"
  }

  assert {
    condition     = module.ecs_service.service.desired_count == 3 && output.desired_count == 3
    error_message = "production runs three tasks"
  }

  assert {
    condition     = module.ecs_service.service.deployment_maximum_percent == 150 && module.ecs_service.service.deployment_minimum_healthy_percent == 50
    error_message = "production deploys with 150% max / 50% min healthy"
  }

  assert {
    condition     = module.ecs_service.service.deployment_circuit_breaker.enable && module.ecs_service.service.deployment_circuit_breaker.rollback
    error_message = "the circuit breaker must be on with rollback"
  }

  assert {
    condition     = module.ecs_service.service.assign_public_ip == false
    error_message = "tasks must not get a public IP"
  }

  assert {
    condition = (
      length(module.ecs_service.service.service_registries) == 1 &&
      one(module.ecs_service.service.service_registries).registry_arn == output.service_discovery_service_arn &&
      output.service_discovery_service_arn != null &&
      module.ecs_service.service_discovery_namespace == "prod.trading-bot.internal"
    )
    error_message = "production registers the service in Cloud Map (prod.trading-bot.internal)"
  }
}

run "task_definition" {
  command = apply

  assert {
    condition = (
      module.ecs_service.baseline_task_definition.cpu == "1024" && module.ecs_service.baseline_task_definition.memory == "2048" &&
      output.cpu == 1024 && output.memory == 2048
    )
    error_message = "production tasks are 1024 CPU / 2048 MiB"
  }

  assert {
    condition     = module.ecs_service.baseline_task_definition.network_mode == "awsvpc" && module.ecs_service.baseline_task_definition.requires_compatibilities == toset(["FARGATE"])
    error_message = "the task must be Fargate with awsvpc networking"
  }

  assert {
    condition     = module.ecs_service.baseline_task_definition.tags["managed-by"] == "terraform"
    error_message = "the baseline revision must be tagged managed-by = terraform so the deploy tool never prunes it"
  }

  assert {
    condition = (
      module.ecs_service.baseline_task_definition.execution_role_arn == output.execution_role_arn &&
      module.ecs_service.baseline_task_definition.task_role_arn == output.task_role_arn
    )
    error_message = "the task definition must use the execution and task roles the outputs name"
  }

  assert {
    condition = (
      length(module.ecs_service.baseline_task_definition.container_definitions) == 1 &&
      module.ecs_service.baseline_task_definition.container_definitions[0].name == "trading-bot" &&
      module.ecs_service.baseline_task_definition.container_definitions[0].image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/trading-bot:baseline" &&
      module.ecs_service.baseline_task_definition.container_definitions[0].portMappings[0].containerPort == 8080 &&
      module.ecs_service.baseline_task_definition.container_definitions[0].readonlyRootFilesystem == true &&
      output.container_name == "trading-bot" && output.container_port == 8080
    )
    error_message = "one container trading-bot, image <repository>:baseline, port 8080, read-only root filesystem"
  }

  assert {
    condition = {
      for e in module.ecs_service.baseline_task_definition.container_definitions[0].environment : e.name => e.value
    } == { ENVIRONMENT = "production", LOG_LEVEL = "WARNING", ENABLE_PROFILING = "false" }
    error_message = "container env must be ENVIRONMENT=production, LOG_LEVEL=WARNING, ENABLE_PROFILING=false"
  }

  assert {
    condition     = output.environment_variables == tomap({ ENVIRONMENT = "production", LOG_LEVEL = "WARNING", ENABLE_PROFILING = "false" })
    error_message = "output environment_variables must match the container env"
  }

  assert {
    condition = (
      { for s in module.ecs_service.baseline_task_definition.container_definitions[0].secrets : s.name => s.valueFrom } == output.secrets &&
      toset(keys(output.secrets)) == toset(["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"])
    )
    error_message = "BYBIT_API_KEY and BYBIT_SECRET_KEY must come from Secrets Manager through valueFrom"
  }

  assert {
    condition     = length([for e in module.ecs_service.baseline_task_definition.container_definitions[0].environment : e if contains(keys(output.secrets), e.name)]) == 0
    error_message = "secrets must never be plain environment variables"
  }

  assert {
    condition = (
      module.ecs_service.baseline_task_definition.container_definitions[0].healthCheck.command == ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"] &&
      module.ecs_service.baseline_task_definition.container_definitions[0].healthCheck.interval == 30 &&
      module.ecs_service.baseline_task_definition.container_definitions[0].healthCheck.timeout == 5 &&
      module.ecs_service.baseline_task_definition.container_definitions[0].healthCheck.retries == 3 &&
      module.ecs_service.baseline_task_definition.container_definitions[0].healthCheck.startPeriod == 60
    )
    error_message = "production health check: curl -f http://localhost:8080/health, interval 30, timeout 5, retries 3, start period 60"
  }

  assert {
    condition     = jsonencode(output.health_check) == jsonencode(module.ecs_service.baseline_task_definition.container_definitions[0].healthCheck)
    error_message = "output health_check must be the container's healthCheck"
  }

  assert {
    condition = (
      module.ecs_service.baseline_task_definition.container_definitions[0].logConfiguration.logDriver == "awslogs" &&
      module.ecs_service.baseline_task_definition.container_definitions[0].logConfiguration.options["awslogs-group"] == "/ecs/trading-bot-prod" &&
      module.ecs_service.baseline_task_definition.container_definitions[0].logConfiguration.options["awslogs-stream-prefix"] == "ecs" &&
      output.log_group_name == "/ecs/trading-bot-prod" && output.log_stream_prefix == "ecs"
    )
    error_message = "logs go to /ecs/trading-bot-prod with stream prefix ecs"
  }

  assert {
    condition     = module.ecs_service.log_group.retention_in_days == 365 && module.ecs_service.log_group.kms_key_id == module.ecs_service.kms_key_arn
    error_message = "the log group keeps 365 days and is encrypted with the environment's key"
  }

  assert {
    condition     = alltrue([for key in values(module.ecs_service.secret_kms_key_ids) : key == module.ecs_service.kms_key_arn])
    error_message = "secrets must be encrypted with the customer-managed key"
  }
}

run "alarms" {
  command = apply

  assert {
    condition = (
      module.alarms.alarms.service_down.period * module.alarms.alarms.service_down.evaluation_periods == 60 &&
      module.alarms.alarms.service_down.severity == "critical" &&
      startswith(module.alarms.alarms.service_down.description, "[critical]")
    )
    error_message = "service down: 1 minute, severity critical"
  }

  assert {
    condition = (
      module.alarms.alarms.service_down.comparison_operator == "GreaterThanThreshold" &&
      module.alarms.alarms.service_down.threshold == 0 &&
      module.alarms.alarms.service_down.expression == "desired - running"
    )
    error_message = "service down fires when running tasks are below desired"
  }

  assert {
    condition = alltrue([for key in ["memory_high", "cpu_high"] :
      module.alarms.alarms[key].threshold == 90 &&
      module.alarms.alarms[key].comparison_operator == "GreaterThanThreshold" &&
      module.alarms.alarms[key].period * module.alarms.alarms[key].evaluation_periods == 300 &&
      module.alarms.alarms[key].severity == "critical" &&
      startswith(module.alarms.alarms[key].description, "[critical]")
    ])
    error_message = "memory and CPU above 90% for 5 minutes, severity critical"
  }

  assert {
    condition     = module.alarms.alarms.memory_high.metric == "MemoryUtilization" && module.alarms.alarms.cpu_high.metric == "CPUUtilization"
    error_message = "the utilization alarms watch MemoryUtilization and CPUUtilization"
  }

  assert {
    condition = (
      module.alarms.deployment_rule.event_pattern.detail.eventName == ["SERVICE_DEPLOYMENT_FAILED"] &&
      module.alarms.deployment_rule.event_pattern["detail-type"] == ["ECS Deployment State Change"] &&
      module.alarms.deployment_rule.target_arn == output.alarm_topic_arn
    )
    error_message = "failed deployments must be forwarded to the alarm topic"
  }

  assert {
    condition     = alltrue([for alarm in values(module.alarms.alarms) : contains(alarm.alarm_actions, output.alarm_topic_arn)])
    error_message = "every alarm must notify the alarm topic"
  }
}

run "deploy_policy" {
  command = apply

  assert {
    condition     = alltrue([for action in ["ecs:RegisterTaskDefinition", "ecs:UpdateService", "iam:PassRole", "ecr:DescribeImages", "secretsmanager:DescribeSecret", "s3:PutObject", "sts:GetCallerIdentity"] : contains(output.deploy_policy_actions, action)])
    error_message = "the deploy policy must grant what make deploy and make plan call"
  }

  assert {
    condition     = length([for action in output.deploy_policy_actions : action if strcontains(action, "*")]) == 0
    error_message = "the deploy policy names actions one by one (the preflight simulates each)"
  }
}
