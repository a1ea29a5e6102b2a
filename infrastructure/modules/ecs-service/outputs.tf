output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "service_arn" {
  description = "ARN of the ECS service (what deployment events name)."
  value       = aws_ecs_service.this.id
}

output "family" {
  description = "Task-definition family; the deploy tool registers its revisions here."
  value       = aws_ecs_task_definition.this.family
}

output "baseline_task_definition_arn" {
  description = "ARN of the baseline revision Terraform registered (tagged managed-by = terraform)."
  value       = aws_ecs_task_definition.this.arn
}

output "container_name" {
  description = "Name of the container in the task definition."
  value       = var.container_name
}

output "container_port" {
  description = "Port the container listens on."
  value       = var.container_port
}

output "cpu" {
  description = "Task CPU units."
  value       = var.cpu
}

output "memory" {
  description = "Task memory in MiB."
  value       = var.memory
}

output "capacity_provider" {
  description = "The capacity provider with the largest weight in the strategy (FARGATE or FARGATE_SPOT)."
  value       = local.capacity_provider
}

output "capacity_provider_strategy" {
  description = "The whole capacity provider strategy, keyed by provider name."
  value       = var.capacity_provider_strategy
}

output "desired_count" {
  description = "Number of tasks the service keeps running."
  value       = var.desired_count
}

output "execution_role_arn" {
  description = "ARN of the task execution role (image pull, logs, secrets)."
  value       = aws_iam_role.task_execution.arn
}

output "task_role_arn" {
  description = "ARN of the task role (what the bot itself may do)."
  value       = aws_iam_role.task.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the containers' log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "log_stream_prefix" {
  description = "awslogs-stream-prefix of the container's log configuration."
  value       = local.stream_prefix
}

output "secrets" {
  description = "Secret ARNs by the environment variable they are injected as (secrets/valueFrom)."
  value       = local.secrets
}

output "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the secrets and the log group."
  value       = module.key.arn
}

output "environment_variables" {
  description = "Plain environment variables of the container."
  value       = var.environment_variables
}

output "health_check" {
  description = "Container healthCheck as ECS spells it ({command, interval, timeout, retries, startPeriod}), or null."
  value       = local.health_check
}

output "service_discovery_service_arn" {
  description = "ARN of the Cloud Map service the tasks register in, or null without service discovery."
  value       = one(aws_service_discovery_service.this[*].arn)
}

output "service_discovery_namespace" {
  description = "Private DNS namespace of the service, or null without service discovery."
  value       = one(aws_service_discovery_private_dns_namespace.this[*].name)
}

output "security_group_id" {
  description = "Security group of the tasks."
  value       = aws_security_group.this.id
}

# What was actually configured, read back from the resources (terraform test asserts these).

output "service" {
  description = "The service's settings as configured: desired count, capacity provider strategy, deployment limits, circuit breaker, public IP, registries."
  value = {
    desired_count                      = aws_ecs_service.this.desired_count
    capacity_provider_strategy         = aws_ecs_service.this.capacity_provider_strategy
    deployment_maximum_percent         = aws_ecs_service.this.deployment_maximum_percent
    deployment_minimum_healthy_percent = aws_ecs_service.this.deployment_minimum_healthy_percent
    deployment_circuit_breaker         = one(aws_ecs_service.this.deployment_circuit_breaker)
    assign_public_ip                   = one(aws_ecs_service.this.network_configuration).assign_public_ip
    service_registries                 = aws_ecs_service.this.service_registries
  }
}

output "cluster_settings" {
  description = "The cluster's Container Insights setting and default capacity provider strategy."
  value = {
    container_insights                 = one([for s in aws_ecs_cluster.this.setting : s.value if s.name == "containerInsights"])
    default_capacity_provider_strategy = aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy
  }
}

output "baseline_task_definition" {
  description = "The baseline revision as registered: size, compatibility, tags and container definitions (decoded)."
  value = {
    cpu                      = aws_ecs_task_definition.this.cpu
    memory                   = aws_ecs_task_definition.this.memory
    network_mode             = aws_ecs_task_definition.this.network_mode
    requires_compatibilities = aws_ecs_task_definition.this.requires_compatibilities
    execution_role_arn       = aws_ecs_task_definition.this.execution_role_arn
    task_role_arn            = aws_ecs_task_definition.this.task_role_arn
    tags                     = aws_ecs_task_definition.this.tags
    container_definitions    = jsondecode(aws_ecs_task_definition.this.container_definitions)
  }
}

output "log_group" {
  description = "The containers' log group: name, retention and KMS key."
  value = {
    name              = aws_cloudwatch_log_group.this.name
    retention_in_days = aws_cloudwatch_log_group.this.retention_in_days
    kms_key_id        = aws_cloudwatch_log_group.this.kms_key_id
  }
}

output "secret_kms_key_ids" {
  description = "KMS key of each secret, by name (all the environment's customer-managed key)."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.kms_key_id }
}
