data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

# Created once per account by infrastructure/bootstrap (named after the project), shared by every environment.
data "aws_ecr_repository" "this" {
  name = var.project
}

locals {
  # Each workload's cluster, service, family, alarms and deploy policy are named <workload>-<short env>.
  names = { for key in keys(var.services) : key => "${key}-${var.short_name}" }
}

################################################################################
# Network
################################################################################

module "networking" {
  source = "../networking"

  name               = "${var.project}-${var.short_name}"
  availability_zones = ["${data.aws_region.current.name}a", "${data.aws_region.current.name}b"]
  cidr_block         = var.network.cidr_block
  single_nat_gateway = var.network.single_nat_gateway
}

################################################################################
# Runtime configuration store
################################################################################

module "config_store" {
  source = "../config-store"

  bucket_name   = "trading-config-${var.short_name}"
  writer_arns   = var.config_store.writer_arns
  force_destroy = var.config_store.force_destroy
}

################################################################################
# Services: one ECS service (cluster, task definition, roles, secrets) per workload
################################################################################

module "service" {
  source   = "../ecs-service"
  for_each = var.services

  name        = local.names[each.key]
  environment = var.environment

  cpu                                = each.value.cpu
  memory                             = each.value.memory
  container_name                     = coalesce(each.value.container_name, each.key)
  container_port                     = each.value.container_port
  capacity_provider_strategy         = each.value.capacity_provider_strategy
  desired_count                      = each.value.desired_count
  deployment_maximum_percent         = each.value.deployment_maximum_percent
  deployment_minimum_healthy_percent = each.value.deployment_minimum_healthy_percent
  deployment_circuit_breaker         = each.value.deployment_circuit_breaker
  # Every workload learns which environment it runs in the same way.
  environment_variables = merge({ ENVIRONMENT = var.environment }, each.value.environment_variables)
  secret_names          = each.value.secret_names
  health_check          = each.value.health_check
  service_discovery     = each.value.service_discovery

  log_retention_days          = var.log_retention_days
  secret_recovery_window_days = var.secret_recovery_window_days

  vpc_id     = module.networking.vpc_id
  vpc_cidr   = module.networking.vpc_cidr
  subnet_ids = module.networking.private_subnet_ids

  repository_url     = data.aws_ecr_repository.this.repository_url
  repository_arn     = data.aws_ecr_repository.this.arn
  config_bucket_arn  = module.config_store.bucket_arn
  config_kms_key_arn = module.config_store.kms_key_arn
}

################################################################################
# Alarms: each service watched, failed deployments reported
################################################################################

module "alarms" {
  source   = "../alarms"
  for_each = var.services

  name          = local.names[each.key]
  cluster_name  = module.service[each.key].cluster_name
  service_name  = module.service[each.key].service_name
  service_arn   = module.service[each.key].service_arn
  subscriptions = var.alarm_subscriptions

  service_down = each.value.alarms.service_down
  memory_high  = each.value.alarms.memory_high
  cpu_high     = each.value.alarms.cpu_high
}

################################################################################
# Deploy policy: what make plan / make deploy need for each service
################################################################################

module "deploy_policy" {
  source   = "../deploy-policy"
  for_each = var.services

  name            = "${local.names[each.key]}-deploy"
  environment     = var.environment
  resource_prefix = local.names[each.key]
  state_bucket    = coalesce(var.state_bucket, "trading-bot-tfstate-${data.aws_caller_identity.current.account_id}")

  cluster_arn        = module.service[each.key].cluster_arn
  service_arn        = module.service[each.key].service_arn
  family             = module.service[each.key].family
  pass_role_arns     = [module.service[each.key].execution_role_arn, module.service[each.key].task_role_arn]
  repository_arn     = data.aws_ecr_repository.this.arn
  secret_arns        = values(module.service[each.key].secrets)
  config_bucket_arn  = module.config_store.bucket_arn
  config_kms_key_arn = module.config_store.kms_key_arn
  alarm_topic_arn    = module.alarms[each.key].topic_arn
}
