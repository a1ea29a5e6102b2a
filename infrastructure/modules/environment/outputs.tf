################################################################################
# What tbctl reads (the named-output contract): the environment, then one object per workload
################################################################################

output "region" {
  description = "AWS region of the environment."
  value       = data.aws_region.current.name
}

output "environment" {
  description = "Long environment name."
  value       = var.environment
}

output "short_name" {
  description = "Short environment name, used in resource names."
  value       = var.short_name
}

output "config_bucket" {
  description = "Runtime configuration bucket."
  value       = module.config_store.bucket
}

output "repository_url" {
  description = "ECR repository URL (image without tag)."
  value       = data.aws_ecr_repository.this.repository_url
}

output "repository_name" {
  description = "ECR repository name."
  value       = data.aws_ecr_repository.this.name
}

output "services" {
  description = <<-EOT
    Per workload, what its template and the deploy step read: cluster_name, service_name, family, container_name,
    container_port, cpu, memory, capacity_provider, desired_count, execution_role_arn, task_role_arn, log_group_name,
    log_stream_prefix, secrets (ARN by variable name), environment_variables, health_check (as ECS spells it, or null),
    service_discovery_service_arn (or null), alarm_topic_arn, deploy_policy_arn, deploy_policy_actions.
  EOT
  value = { for key, service in module.service : key => {
    cluster_name                  = service.cluster_name
    service_name                  = service.service_name
    family                        = service.family
    container_name                = service.container_name
    container_port                = service.container_port
    cpu                           = service.cpu
    memory                        = service.memory
    capacity_provider             = service.capacity_provider
    desired_count                 = service.desired_count
    execution_role_arn            = service.execution_role_arn
    task_role_arn                 = service.task_role_arn
    log_group_name                = service.log_group_name
    log_stream_prefix             = service.log_stream_prefix
    secrets                       = service.secrets
    environment_variables         = service.environment_variables
    health_check                  = service.health_check
    service_discovery_service_arn = service.service_discovery_service_arn
    alarm_topic_arn               = module.alarms[key].topic_arn
    deploy_policy_arn             = module.deploy_policy[key].arn
    deploy_policy_actions         = module.deploy_policy[key].actions
  } }
}

################################################################################
# What was configured, read back from the resources (each environment's terraform test compares it with its table)
################################################################################

output "configured" {
  description = <<-EOT
    What was configured, read back from the resources, one line per aspect: network (cidr_block, nat_gateways),
    config_bucket, and per workload its service (names, capacity provider weights, desired count, deployment
    [maximum, minimum healthy] percent, circuit breaker [enable, rollback], Cloud Map namespace), task (cpu, memory,
    log retention days), container (environment, secret names, health check) and alarms ("<minutes> min <severity>",
    utilization with its threshold).
  EOT
  value = {
    network       = { cidr_block = module.networking.vpc_cidr, nat_gateways = length(module.networking.nat_gateway_ids) }
    config_bucket = module.config_store.bucket
    services = { for key, service in module.service : key => {
      names             = [service.cluster_name, service.service_name, service.family]
      capacity_provider = { for p in service.service.capacity_provider_strategy : p.capacity_provider => p.weight }
      desired_count     = service.service.desired_count
      deployment        = [service.service.deployment_maximum_percent, service.service.deployment_minimum_healthy_percent]
      circuit_breaker   = [service.service.deployment_circuit_breaker.enable, service.service.deployment_circuit_breaker.rollback]
      service_discovery = service.service_discovery_namespace
      task              = [tonumber(service.baseline_task_definition.cpu), tonumber(service.baseline_task_definition.memory), service.log_group.retention_in_days]
      environment       = { for e in service.baseline_task_definition.container_definitions[0].environment : e.name => e.value }
      secrets           = sort([for s in service.baseline_task_definition.container_definitions[0].secrets : s.name])
      health_check      = try(service.baseline_task_definition.container_definitions[0].healthCheck, null)
      alarms = { for name, alarm in module.alarms[key].alarms : name => format("%s%d min %s",
        alarm.expression == null ? format("%d%% for ", alarm.threshold) : "", alarm.period * alarm.evaluation_periods / 60, alarm.severity)
      }
    } }
  }
}
