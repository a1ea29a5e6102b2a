# Production's values, compared with what its configuration creates (read back from the resources,
# mocked AWS: offline, in seconds). What every environment gets is tested in modules/environment/tests.

mock_provider "aws" { source = "../../testing/aws" }

run "production" {
  assert {
    condition = jsonencode(module.environment.configured) == jsonencode({
      network       = { cidr_block = "10.20.0.0/16", nat_gateways = 2 }
      config_bucket = "trading-config-prod"
      services = { trading-bot = {
        names             = ["trading-bot-prod", "trading-bot-prod", "trading-bot-prod"]
        capacity_provider = { FARGATE = 100 }
        desired_count     = 3
        deployment        = [150, 50]
        circuit_breaker   = [true, true]
        service_discovery = "prod.trading-bot.internal"
        task              = [1024, 2048, 365]
        environment       = { ENABLE_PROFILING = "false", ENVIRONMENT = "production", LOG_LEVEL = "WARNING" }
        secrets           = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "SMTP_PASSWORD", "TELEGRAM_BOT_TOKEN"]
        health_check = {
          command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], interval = 30, timeout = 5, retries = 3, startPeriod = 60
        }
        alarms = { cpu_high = "90% for 5 min critical", memory_high = "90% for 5 min critical", service_down = "1 min critical" }
      } }
    })
    error_message = "production differs from its table: ${jsonencode(module.environment.configured)}"
  }
}
