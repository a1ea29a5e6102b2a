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
  environment = "production"
  short_name  = "prod"
  name        = "trading-bot-${local.short_name}"
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

# Created once per account by infrastructure/bootstrap, shared by both environments.
data "aws_ecr_repository" "this" {
  name = "trading-bot"
}

################################################################################
# Network: one NAT gateway per zone, so a zone outage does not cut the bot off
################################################################################

module "networking" {
  source = "../../modules/networking"

  name               = local.name
  availability_zones = ["${data.aws_region.current.name}a", "${data.aws_region.current.name}b"]
  cidr_block         = "10.20.0.0/16"
  single_nat_gateway = false
}

################################################################################
# Runtime configuration store (issue 5)
################################################################################

module "config_store" {
  source = "../../modules/config-store"

  bucket_name   = "trading-config-${local.short_name}"
  writer_arns   = var.config_writer_arns
  force_destroy = false
}

################################################################################
# ECS service: on-demand Fargate, three tasks, rolling deployments that keep half up
################################################################################

module "ecs_service" {
  source = "../../modules/ecs-service"

  name        = local.name
  environment = local.environment

  # The exchange keys, and the notification credentials the runtime config names
  # (config/<env>/notification-config.json): declared here, values set out of band.
  secret_names = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"]

  cpu    = 1024
  memory = 2048

  capacity_provider_strategy = {
    FARGATE = { weight = 100 }
  }
  desired_count                      = 3
  deployment_maximum_percent         = 150
  deployment_minimum_healthy_percent = 50
  deployment_circuit_breaker         = { enable = true, rollback = true }

  environment_variables = {
    ENVIRONMENT      = local.environment
    LOG_LEVEL        = "WARNING"
    ENABLE_PROFILING = "false"
  }
  health_check = {
    command      = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
    interval     = 30
    timeout      = 5
    retries      = 3
    start_period = 60
  }
  service_discovery = { namespace = "${local.short_name}.trading-bot.internal" }

  log_retention_days          = 365
  secret_recovery_window_days = 30

  vpc_id     = module.networking.vpc_id
  vpc_cidr   = module.networking.vpc_cidr
  subnet_ids = module.networking.private_subnet_ids

  repository_url     = data.aws_ecr_repository.this.repository_url
  repository_arn     = data.aws_ecr_repository.this.arn
  config_bucket_arn  = module.config_store.bucket_arn
  config_kms_key_arn = module.config_store.kms_key_arn
}

################################################################################
# Alarms (issue 6): production pages within a minute
################################################################################

module "alarms" {
  source = "../../modules/alarms"

  name          = local.name
  cluster_name  = module.ecs_service.cluster_name
  service_name  = module.ecs_service.service_name
  service_arn   = module.ecs_service.service_arn
  subscriptions = var.alarm_subscriptions

  service_down = { period = 60, evaluation_periods = 1, severity = "critical" }
  memory_high  = { threshold = 90, period = 60, evaluation_periods = 5, severity = "critical" }
  cpu_high     = { threshold = 90, period = 60, evaluation_periods = 5, severity = "critical" }
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
