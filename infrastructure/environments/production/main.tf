# Production: three on-demand tasks that keep half up while deploying, a NAT gateway per zone so a zone
# outage does not cut the bot off, a health check, Cloud Map, pages within a minute. Backend, provider,
# variables, outputs and moves: ../shared/*.tf, linked here.

locals {
  environment = "production"
}

module "environment" {
  source = "../../modules/environment"

  services = {
    trading-bot = {
      cpu    = 1024
      memory = 2048

      desired_count                      = 3
      deployment_maximum_percent         = 150
      deployment_minimum_healthy_percent = 50
      environment_variables              = { LOG_LEVEL = "WARNING", ENABLE_PROFILING = "false" }
      secret_names                       = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"]

      health_check = {
        command      = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
        start_period = 60
      }
      service_discovery = { namespace = "prod.trading-bot.internal" }

      alarms = {
        service_down = { evaluation_periods = 1, severity = "critical" }
        memory_high  = { evaluation_periods = 5, severity = "critical" }
        cpu_high     = { evaluation_periods = 5, severity = "critical" }
      }
    }
  }

  environment  = local.environment
  short_name   = "prod"
  network      = { cidr_block = "10.20.0.0/16" }
  config_store = { writer_arns = var.config_writer_arns }

  log_retention_days          = 365
  secret_recovery_window_days = 30
  alarm_subscriptions         = var.alarm_subscriptions
  state_bucket                = var.state_bucket
}
