# Development: cheap and quick to change. One small Fargate Spot task, debug logs, one NAT gateway,
# watched but nobody paged. Backend, provider, variables, outputs and moves: ../shared/*.tf, linked here.

locals {
  environment = "development"
}

module "environment" {
  source = "../../modules/environment"

  services = {
    trading-bot = {
      cpu    = 256
      memory = 512

      capacity_provider_strategy         = { FARGATE_SPOT = { weight = 100 } }
      deployment_minimum_healthy_percent = 0 # one task: a deployment may stop it before starting the next
      environment_variables              = { LOG_LEVEL = "DEBUG", ENABLE_PROFILING = "true" }

      # The exchange keys, and the notification credentials the runtime config names
      # (config/<env>/notification-config.json): declared here, values set out of band.
      secret_names = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"]

      alarms = {
        service_down = { evaluation_periods = 5, severity = "info" }
      }
    }
  }

  environment  = local.environment
  short_name   = "dev"
  network      = { cidr_block = "10.10.0.0/16", single_nat_gateway = true }
  config_store = { force_destroy = true, writer_arns = var.config_writer_arns }

  log_retention_days          = 30
  secret_recovery_window_days = 7
  alarm_subscriptions         = var.alarm_subscriptions
  state_bucket                = var.state_bucket
}
