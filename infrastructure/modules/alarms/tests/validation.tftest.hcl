# Input validation of alarms: each wrong value is refused at plan time,
# naming the variable, before anything reaches AWS.

mock_provider "aws" {
  source = "../../testing/aws"
}

# A valid alarms input; each run below breaks one thing.
variables {
  name         = "trading-bot-test"
  cluster_name = "trading-bot-test"
  service_name = "trading-bot-test"
  service_arn  = "arn:aws:ecs:us-east-1:123456789012:service/trading-bot-test/trading-bot-test"
  service_down = { evaluation_periods = 1, severity = "critical" }
  memory_high  = { evaluation_periods = 5, severity = "critical" }
  cpu_high     = { evaluation_periods = 5, severity = "critical" }
}

run "valid_input_plans" {
  command = plan
}

run "unknown_alarm_severity_is_refused" {
  command = plan
  variables {
    service_down = { evaluation_periods = 1, severity = "page-everyone" }
  }
  expect_failures = [var.service_down]
}

run "unknown_subscription_protocol_is_refused" {
  command = plan
  variables {
    subscriptions = [{ protocol = "pigeon", endpoint = "roof" }]
  }
  expect_failures = [var.subscriptions]
}

run "utilization_threshold_above_100_is_refused" {
  command = plan
  variables {
    memory_high = { threshold = 120, evaluation_periods = 5, severity = "critical" }
  }
  expect_failures = [var.memory_high]
}
