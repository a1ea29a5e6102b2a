# Development's values, compared with what its configuration creates (read back from the resources,
# mocked AWS: offline, in seconds). What every environment gets is tested in modules/environment/tests.

mock_provider "aws" { source = "../../testing/aws" }

run "development" {
  assert {
    condition = jsonencode(module.environment.configured) == jsonencode({
      network       = { cidr_block = "10.10.0.0/16", nat_gateways = 1 }
      config_bucket = "trading-config-dev"
      services = { trading-bot = {
        names             = ["trading-bot-dev", "trading-bot-dev", "trading-bot-dev"]
        capacity_provider = { FARGATE_SPOT = 100 }
        desired_count     = 1
        deployment        = [200, 0]
        circuit_breaker   = [true, true]
        service_discovery = null
        task              = [256, 512, 30]
        environment       = { ENABLE_PROFILING = "true", ENVIRONMENT = "development", LOG_LEVEL = "DEBUG" }
        secrets           = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY", "SMTP_PASSWORD", "TELEGRAM_BOT_TOKEN"]
        health_check      = null
        alarms            = { cpu_high = "90% for 10 min warning", memory_high = "90% for 10 min warning", service_down = "5 min info" }
      } }
    })
    error_message = "development differs from its table: ${jsonencode(module.environment.configured)}"
  }
}
