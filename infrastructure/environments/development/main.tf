provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "trading-bot"
      environment = local.environment
      managed-by  = "terraform"
    }
  }
}

locals {
  environment = "development"
  short_name  = "dev"
  name        = "trading-bot-${local.short_name}"
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

# Created once per account by infrastructure/bootstrap, shared by both environments.
data "aws_ecr_repository" "this" {
  name = "trading-bot"
}

################################################################################
# Network: one NAT gateway is enough for development
################################################################################

module "networking" {
  source = "../../modules/networking"

  name               = local.name
  availability_zones = ["${data.aws_region.current.name}a", "${data.aws_region.current.name}b"]
  cidr_block         = "10.10.0.0/16"
  single_nat_gateway = true
}

################################################################################
# Runtime configuration store (issue 5)
################################################################################

module "config_store" {
  source = "../../modules/config-store"

  bucket_name   = "trading-config-${local.short_name}"
  writer_arns   = var.config_writer_arns
  force_destroy = true
}

################################################################################
# ECS service: Fargate Spot, one small task, fast and cheap deployments
################################################################################

module "ecs_service" {
  source = "../../modules/ecs-service"

  name        = local.name
  environment = local.environment

  # The exchange keys, and the notification credentials the runtime config names
  # (config/<env>/notification-config.json): declared here, values set out of band.
  secret_names = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"]

  cpu    = 256
  memory = 512

  capacity_provider_strategy = {
    FARGATE_SPOT = { weight = 100 }
  }
  desired_count                      = 1
  deployment_maximum_percent         = 200
  deployment_minimum_healthy_percent = 0
  deployment_circuit_breaker         = { enable = true, rollback = true }

  environment_variables = {
    ENVIRONMENT      = local.environment
    LOG_LEVEL        = "DEBUG"
    ENABLE_PROFILING = "true"
  }
  health_check      = null
  service_discovery = null

  log_retention_days          = 30
  secret_recovery_window_days = 7

  vpc_id     = module.networking.vpc_id
  vpc_cidr   = module.networking.vpc_cidr
  subnet_ids = module.networking.private_subnet_ids

  repository_url     = data.aws_ecr_repository.this.repository_url
  repository_arn     = data.aws_ecr_repository.this.arn
  config_bucket_arn  = module.config_store.bucket_arn
  config_kms_key_arn = module.config_store.kms_key_arn
}

################################################################################
# Alarms (issue 6): development is watched, but nobody is paged
################################################################################

module "alarms" {
  source = "../../modules/alarms"

  name          = local.name
  cluster_name  = module.ecs_service.cluster_name
  service_name  = module.ecs_service.service_name
  service_arn   = module.ecs_service.service_arn
  subscriptions = var.alarm_subscriptions

  service_down = { period = 60, evaluation_periods = 5, severity = "info" }
  memory_high  = { threshold = 90, period = 60, evaluation_periods = 10, severity = "warning" }
  cpu_high     = { threshold = 90, period = 60, evaluation_periods = 10, severity = "warning" }
}

################################################################################
# Deploy policy (issue 6): what make plan / make deploy need here
################################################################################

module "deploy_policy" {
  source = "../../modules/deploy-policy"

  name            = "${local.name}-deploy"
  environment     = local.environment
  resource_prefix = local.name
  state_bucket    = coalesce(var.state_bucket, "trading-bot-tfstate-${data.aws_caller_identity.current.account_id}")

  cluster_arn        = module.ecs_service.cluster_arn
  service_arn        = module.ecs_service.service_arn
  family             = module.ecs_service.family
  pass_role_arns     = [module.ecs_service.execution_role_arn, module.ecs_service.task_role_arn]
  repository_arn     = data.aws_ecr_repository.this.arn
  secret_arns        = values(module.ecs_service.secrets)
  config_bucket_arn  = module.config_store.bucket_arn
  config_kms_key_arn = module.config_store.kms_key_arn
  alarm_topic_arn    = module.alarms.topic_arn
}
