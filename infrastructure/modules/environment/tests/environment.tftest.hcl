# The environment module with a development-like environment (one Fargate Spot task, no health check,
# no Cloud Map) and variations: what every environment gets, whatever its values. Each environment
# root's own test compares its values with its table; input validation of the parts is beside them
# (ecs-service/tests, alarms/tests).

mock_provider "aws" {
  source = "../../testing/aws"
}

variables {
  environment                 = "development"
  short_name                  = "dev"
  network                     = { cidr_block = "10.10.0.0/16", single_nat_gateway = true }
  log_retention_days          = 30
  secret_recovery_window_days = 7
  services = {
    trading-bot = {
      cpu                                = 256
      memory                             = 512
      capacity_provider_strategy         = { FARGATE_SPOT = { weight = 100 } }
      deployment_minimum_healthy_percent = 0
      environment_variables              = { LOG_LEVEL = "DEBUG", ENABLE_PROFILING = "true" }
      secret_names                       = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"]
      alarms                             = { service_down = { evaluation_periods = 5, severity = "info" } }
    }
  }
}

run "environment" {
  command = apply

  assert {
    condition     = output.environment == "development" && output.short_name == "dev" && output.region == "us-east-1"
    error_message = "development must be named development / dev"
  }

  assert {
    condition     = output.services["trading-bot"].cluster_name == "trading-bot-dev" && output.services["trading-bot"].service_name == "trading-bot-dev" && output.services["trading-bot"].family == "trading-bot-dev"
    error_message = "cluster, service and family must all be trading-bot-dev"
  }

  assert {
    condition     = output.config_bucket == "trading-config-dev"
    error_message = "the config bucket must be trading-config-dev"
  }

  assert {
    condition     = output.repository_name == "trading-bot" && output.repository_url == "123456789012.dkr.ecr.us-east-1.amazonaws.com/trading-bot"
    error_message = "the repository comes from the shared trading-bot registry"
  }
}

run "cluster_and_service" {
  command = apply

  assert {
    condition     = module.service["trading-bot"].cluster_settings.container_insights == "enabled"
    error_message = "Container Insights must be on"
  }

  assert {
    condition = (
      length(module.service["trading-bot"].service.capacity_provider_strategy) == 1 &&
      one(module.service["trading-bot"].service.capacity_provider_strategy).capacity_provider == "FARGATE_SPOT" &&
      one(module.service["trading-bot"].service.capacity_provider_strategy).weight == 100 &&
      output.services["trading-bot"].capacity_provider == "FARGATE_SPOT"
    )
    error_message = "development runs on FARGATE_SPOT with weight 100"
  }

  assert {
    condition     = one(module.service["trading-bot"].cluster_settings.default_capacity_provider_strategy).capacity_provider == "FARGATE_SPOT"
    error_message = "the cluster's default strategy must match the service's"
  }

  assert {
    condition     = module.service["trading-bot"].service.desired_count == 1 && output.services["trading-bot"].desired_count == 1
    error_message = "development runs one task"
  }

  assert {
    condition     = module.service["trading-bot"].service.deployment_maximum_percent == 200 && module.service["trading-bot"].service.deployment_minimum_healthy_percent == 0
    error_message = "development deploys with 200% max / 0% min healthy"
  }

  assert {
    condition     = module.service["trading-bot"].service.deployment_circuit_breaker.enable && module.service["trading-bot"].service.deployment_circuit_breaker.rollback
    error_message = "the circuit breaker must be on with rollback"
  }

  assert {
    condition     = module.service["trading-bot"].service.assign_public_ip == false
    error_message = "tasks must not get a public IP"
  }

  assert {
    condition     = length(module.service["trading-bot"].service.service_registries) == 0 && output.services["trading-bot"].service_discovery_service_arn == null
    error_message = "development has no service discovery"
  }
}

run "task_definition" {
  command = apply

  assert {
    condition = (
      module.service["trading-bot"].baseline_task_definition.cpu == "256" && module.service["trading-bot"].baseline_task_definition.memory == "512" &&
      output.services["trading-bot"].cpu == 256 && output.services["trading-bot"].memory == 512
    )
    error_message = "development tasks are 256 CPU / 512 MiB"
  }

  assert {
    condition     = module.service["trading-bot"].baseline_task_definition.network_mode == "awsvpc" && module.service["trading-bot"].baseline_task_definition.requires_compatibilities == toset(["FARGATE"])
    error_message = "the task must be Fargate with awsvpc networking"
  }

  assert {
    condition     = module.service["trading-bot"].baseline_task_definition.tags["managed-by"] == "terraform"
    error_message = "the baseline revision must be tagged managed-by = terraform so the deploy tool never prunes it"
  }

  assert {
    condition = (
      module.service["trading-bot"].baseline_task_definition.execution_role_arn == output.services["trading-bot"].execution_role_arn &&
      module.service["trading-bot"].baseline_task_definition.task_role_arn == output.services["trading-bot"].task_role_arn
    )
    error_message = "the task definition must use the execution and task roles the outputs name"
  }

  assert {
    condition = (
      length(module.service["trading-bot"].baseline_task_definition.container_definitions) == 1 &&
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].name == "trading-bot" &&
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/trading-bot:baseline" &&
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].portMappings[0].containerPort == 8080 &&
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].readonlyRootFilesystem == true &&
      output.services["trading-bot"].container_name == "trading-bot" && output.services["trading-bot"].container_port == 8080
    )
    error_message = "one container trading-bot, image <repository>:baseline, port 8080, read-only root filesystem"
  }

  assert {
    condition = {
      for e in module.service["trading-bot"].baseline_task_definition.container_definitions[0].environment : e.name => e.value
    } == { ENVIRONMENT = "development", LOG_LEVEL = "DEBUG", ENABLE_PROFILING = "true" }
    error_message = "container env must be ENVIRONMENT=development, LOG_LEVEL=DEBUG, ENABLE_PROFILING=true"
  }

  assert {
    condition     = output.services["trading-bot"].environment_variables == tomap({ ENVIRONMENT = "development", LOG_LEVEL = "DEBUG", ENABLE_PROFILING = "true" })
    error_message = "output environment_variables must match the container env"
  }

  assert {
    condition = (
      { for s in module.service["trading-bot"].baseline_task_definition.container_definitions[0].secrets : s.name => s.valueFrom } == output.services["trading-bot"].secrets &&
      toset(keys(output.services["trading-bot"].secrets)) == toset(["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"])
    )
    error_message = "BYBIT_API_KEY and BYBIT_SECRET_KEY must come from Secrets Manager through valueFrom"
  }

  assert {
    condition     = length([for e in module.service["trading-bot"].baseline_task_definition.container_definitions[0].environment : e if contains(keys(output.services["trading-bot"].secrets), e.name)]) == 0
    error_message = "secrets must never be plain environment variables"
  }

  assert {
    condition     = !contains(keys(module.service["trading-bot"].baseline_task_definition.container_definitions[0]), "healthCheck") && output.services["trading-bot"].health_check == null
    error_message = "development has no container health check"
  }

  assert {
    condition = (
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].logConfiguration.logDriver == "awslogs" &&
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].logConfiguration.options["awslogs-group"] == "/ecs/trading-bot-dev" &&
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].logConfiguration.options["awslogs-stream-prefix"] == "ecs" &&
      output.services["trading-bot"].log_group_name == "/ecs/trading-bot-dev" && output.services["trading-bot"].log_stream_prefix == "ecs"
    )
    error_message = "logs go to /ecs/trading-bot-dev with stream prefix ecs"
  }

  assert {
    condition     = module.service["trading-bot"].log_group.retention_in_days == 30 && module.service["trading-bot"].log_group.kms_key_id == module.service["trading-bot"].kms_key_arn
    error_message = "the log group keeps 30 days and is encrypted with the environment's key"
  }

  assert {
    condition     = alltrue([for key in values(module.service["trading-bot"].secret_kms_key_ids) : key == module.service["trading-bot"].kms_key_arn])
    error_message = "secrets must be encrypted with the customer-managed key"
  }
}

run "alarms" {
  command = apply

  assert {
    condition = (
      module.alarms["trading-bot"].alarms.service_down.period * module.alarms["trading-bot"].alarms.service_down.evaluation_periods == 300 &&
      module.alarms["trading-bot"].alarms.service_down.severity == "info" &&
      startswith(module.alarms["trading-bot"].alarms.service_down.description, "[info]")
    )
    error_message = "service down: 5 minutes, severity info"
  }

  assert {
    condition = (
      module.alarms["trading-bot"].alarms.service_down.comparison_operator == "GreaterThanThreshold" &&
      module.alarms["trading-bot"].alarms.service_down.threshold == 0 &&
      module.alarms["trading-bot"].alarms.service_down.expression == "desired - running"
    )
    error_message = "service down fires when running tasks are below desired"
  }

  assert {
    condition = alltrue([for key in ["memory_high", "cpu_high"] :
      module.alarms["trading-bot"].alarms[key].threshold == 90 &&
      module.alarms["trading-bot"].alarms[key].comparison_operator == "GreaterThanThreshold" &&
      module.alarms["trading-bot"].alarms[key].period * module.alarms["trading-bot"].alarms[key].evaluation_periods == 600 &&
      module.alarms["trading-bot"].alarms[key].severity == "warning" &&
      startswith(module.alarms["trading-bot"].alarms[key].description, "[warning]")
    ])
    error_message = "memory and CPU above 90% for 10 minutes, severity warning"
  }

  assert {
    condition     = module.alarms["trading-bot"].alarms.memory_high.metric == "MemoryUtilization" && module.alarms["trading-bot"].alarms.cpu_high.metric == "CPUUtilization"
    error_message = "the utilization alarms watch MemoryUtilization and CPUUtilization"
  }

  assert {
    condition = (
      module.alarms["trading-bot"].deployment_rule.event_pattern.detail.eventName == ["SERVICE_DEPLOYMENT_FAILED"] &&
      module.alarms["trading-bot"].deployment_rule.event_pattern["detail-type"] == ["ECS Deployment State Change"] &&
      module.alarms["trading-bot"].deployment_rule.target_arn == output.services["trading-bot"].alarm_topic_arn
    )
    error_message = "failed deployments must be forwarded to the alarm topic"
  }

  assert {
    condition     = alltrue([for alarm in values(module.alarms["trading-bot"].alarms) : contains(alarm.alarm_actions, output.services["trading-bot"].alarm_topic_arn)])
    error_message = "every alarm must notify the alarm topic"
  }
}

run "deploy_policy" {
  command = apply

  assert {
    condition     = alltrue([for action in ["ecs:RegisterTaskDefinition", "ecs:UpdateService", "iam:PassRole", "ecr:DescribeImages", "secretsmanager:DescribeSecret", "s3:PutObject", "sts:GetCallerIdentity"] : contains(output.services["trading-bot"].deploy_policy_actions, action)])
    error_message = "the deploy policy must grant what make deploy and make plan call"
  }

  assert {
    condition     = length([for action in output.services["trading-bot"].deploy_policy_actions : action if strcontains(action, "*")]) == 0
    error_message = "the deploy policy names actions one by one (the preflight simulates each)"
  }
}

# --- Variations ------------------------------------------------------------------------

run "health_check_and_service_discovery_reach_the_container_and_the_service" {
  command = apply

  variables {
    services = {
      trading-bot = {
        cpu               = 1024
        memory            = 2048
        secret_names      = ["BYBIT_API_KEY"]
        health_check      = { command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], start_period = 60 }
        service_discovery = { namespace = "test.trading-bot.internal" }
      }
    }
  }

  assert {
    condition = (
      module.service["trading-bot"].baseline_task_definition.container_definitions[0].healthCheck == {
        command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], interval = 30, timeout = 5, retries = 3, startPeriod = 60
      } &&
      jsonencode(output.services["trading-bot"].health_check) == jsonencode(module.service["trading-bot"].baseline_task_definition.container_definitions[0].healthCheck)
    )
    error_message = "the health check (with the module's defaults filled in) must reach the container and the output"
  }

  assert {
    condition = (
      one(module.service["trading-bot"].service.service_registries).registry_arn == output.services["trading-bot"].service_discovery_service_arn &&
      output.services["trading-bot"].service_discovery_service_arn != null &&
      module.service["trading-bot"].service_discovery_namespace == "test.trading-bot.internal"
    )
    error_message = "service discovery must register the service in the namespace given"
  }

  assert {
    condition = (
      one(module.service["trading-bot"].service.capacity_provider_strategy).capacity_provider == "FARGATE" &&
      module.service["trading-bot"].service.deployment_minimum_healthy_percent == 100 &&
      module.service["trading-bot"].service.desired_count == 1
    )
    error_message = "a workload that sets no strategy, minimum or count runs one on-demand task and keeps it up while deploying"
  }
}

run "each_workload_gets_its_own_service_alarms_and_deploy_policy" {
  command = apply

  variables {
    services = {
      trading-bot = { cpu = 256, memory = 512 }
      market-feed = { cpu = 512, memory = 1024, environment_variables = { FEED = "spot" } }
    }
  }

  assert {
    condition     = { for key, s in output.services : key => [s.cluster_name, s.service_name, s.family, s.container_name] } == { trading-bot = ["trading-bot-dev", "trading-bot-dev", "trading-bot-dev", "trading-bot"], market-feed = ["market-feed-dev", "market-feed-dev", "market-feed-dev", "market-feed"] }
    error_message = "each workload is named <workload>-<short_name>, its container after the workload"
  }

  assert {
    condition     = output.services["market-feed"].environment_variables == tomap({ ENVIRONMENT = "development", FEED = "spot" })
    error_message = "every workload gets ENVIRONMENT besides its own variables"
  }

  assert {
    condition     = keys(module.deploy_policy) == keys(output.services) && keys(module.alarms) == keys(output.services)
    error_message = "each workload has its own alarms and deploy policy"
  }
}

# --- Input validation ----------------------------------------------------------------------

run "workload_name_that_cannot_name_resources_is_refused" {
  command = plan
  variables {
    services = { Trading_Bot = { cpu = 256, memory = 512 } }
  }
  expect_failures = [var.services]
}

run "no_workload_is_refused" {
  command = plan
  variables {
    services = {}
  }
  expect_failures = [var.services]
}

run "environment_variable_the_module_sets_is_refused" {
  command = plan
  variables {
    services = { trading-bot = { cpu = 256, memory = 512, environment_variables = { ENVIRONMENT = "staging" } } }
  }
  expect_failures = [var.services]
}

run "cidr_that_is_not_one_is_refused" {
  command = plan
  variables {
    network = { cidr_block = "10.10.0.0" }
  }
  expect_failures = [var.network]
}

run "unknown_environment_is_refused" {
  command = plan
  variables {
    environment = "staging"
  }
  expect_failures = [var.environment]
}
