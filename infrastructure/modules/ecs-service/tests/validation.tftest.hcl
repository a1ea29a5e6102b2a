# Input validation of ecs-service: each wrong value is refused at plan time,
# naming the variable, before anything reaches AWS.

mock_provider "aws" {
  source = "../../testing/aws"
}

# A valid ecs-service input; each run below breaks one thing.
variables {
  name                               = "trading-bot-test"
  environment                        = "development"
  cpu                                = 256
  memory                             = 512
  capacity_provider_strategy         = { FARGATE_SPOT = { weight = 100 } }
  desired_count                      = 1
  deployment_maximum_percent         = 200
  deployment_minimum_healthy_percent = 0
  log_retention_days                 = 30
  vpc_id                             = "vpc-0123456789abcdef0"
  vpc_cidr                           = "10.10.0.0/16"
  subnet_ids                         = ["subnet-0123456789abcdef0"]
  repository_url                     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/trading-bot"
  repository_arn                     = "arn:aws:ecr:us-east-1:123456789012:repository/trading-bot"
  config_bucket_arn                  = "arn:aws:s3:::trading-config-test"
  config_kms_key_arn                 = "arn:aws:kms:us-east-1:123456789012:key/test"
}

run "valid_input_plans" {
  command = plan
}

run "largest_fargate_pair_for_4096_cpu_plans" {
  command = plan
  variables {
    cpu    = 4096
    memory = 30720
  }
}

# --- Fargate CPU / memory pairs -------------------------------------------------

run "memory_too_large_for_256_cpu_is_refused" {
  command = plan
  variables {
    cpu    = 256
    memory = 4096
  }
  expect_failures = [var.memory]
}

run "memory_too_small_for_1024_cpu_is_refused" {
  command = plan
  variables {
    cpu    = 1024
    memory = 1024
  }
  expect_failures = [var.memory]
}

run "memory_off_the_1024_step_is_refused" {
  command = plan
  variables {
    cpu    = 2048
    memory = 5000
  }
  expect_failures = [var.memory]
}

run "memory_above_30720_for_4096_cpu_is_refused" {
  command = plan
  variables {
    cpu    = 4096
    memory = 31744
  }
  expect_failures = [var.memory]
}

run "cpu_that_fargate_does_not_offer_is_refused" {
  command = plan
  variables {
    cpu    = 1000
    memory = 2048
  }
  expect_failures = [var.cpu]
}

# --- Capacity providers -----------------------------------------------------------

run "unknown_capacity_provider_is_refused" {
  command = plan
  variables {
    capacity_provider_strategy = { EC2 = { weight = 100 } }
  }
  expect_failures = [var.capacity_provider_strategy]
}

run "strategy_without_positive_weight_is_refused" {
  command = plan
  variables {
    capacity_provider_strategy = { FARGATE = { weight = 0 } }
  }
  expect_failures = [var.capacity_provider_strategy]
}

run "weight_above_1000_is_refused" {
  command = plan
  variables {
    capacity_provider_strategy = { FARGATE = { weight = 1001 } }
  }
  expect_failures = [var.capacity_provider_strategy]
}

# --- Deployment percentages and counts --------------------------------------------

run "minimum_healthy_above_100_is_refused" {
  command = plan
  variables {
    deployment_minimum_healthy_percent = 101
  }
  expect_failures = [var.deployment_minimum_healthy_percent]
}

run "maximum_below_100_is_refused" {
  command = plan
  variables {
    deployment_maximum_percent = 99
  }
  expect_failures = [var.deployment_maximum_percent]
}

run "maximum_above_200_is_refused" {
  command = plan
  variables {
    deployment_maximum_percent = 250
  }
  expect_failures = [var.deployment_maximum_percent]
}

run "minimum_not_below_maximum_is_refused" {
  command = plan
  variables {
    deployment_maximum_percent         = 100
    deployment_minimum_healthy_percent = 100
  }
  expect_failures = [var.deployment_minimum_healthy_percent]
}

run "negative_desired_count_is_refused" {
  command = plan
  variables {
    desired_count = -1
  }
  expect_failures = [var.desired_count]
}

run "rollback_without_circuit_breaker_is_refused" {
  command = plan
  variables {
    deployment_circuit_breaker = { enable = false, rollback = true }
  }
  expect_failures = [var.deployment_circuit_breaker]
}

# --- Container ----------------------------------------------------------------------

run "port_out_of_range_is_refused" {
  command = plan
  variables {
    container_port = 70000
  }
  expect_failures = [var.container_port]
}

run "log_retention_cloudwatch_does_not_offer_is_refused" {
  command = plan
  variables {
    log_retention_days = 13
  }
  expect_failures = [var.log_retention_days]
}

run "secret_in_plain_environment_is_refused" {
  command = plan
  variables {
    environment_variables = { BYBIT_API_KEY = "plain-text" }
  }
  expect_failures = [var.environment_variables]
}

run "secret_in_plain_environment_is_refused_in_any_case_and_spelling" {
  command = plan
  module {
    source = "../../modules/ecs-service"
  }
  variables {
    environment_variables = { DB_PASSWD = "plain-text" }
  }
  expect_failures = [var.environment_variables]
}

# Settings about a secret are not secrets (the same rule as the validator and the masker).
run "settings_about_secrets_are_plain_environment" {
  command = plan
  module {
    source = "../../modules/ecs-service"
  }
  variables {
    environment_variables = { JWT_ACCESS_TOKEN_EXPIRATION = "900", TOKEN_TTL = "60", PASSWORD_MIN_LENGTH = "12", SECRET_ARN = "arn" }
  }
}

run "health_check_timeout_above_sixty_seconds_is_refused" {
  command = plan
  module {
    source = "../../modules/ecs-service"
  }
  variables {
    health_check = { command = ["CMD-SHELL", "true"], interval = 300, timeout = 90 }
  }
  expect_failures = [var.health_check]
}

run "health_check_timeout_not_below_interval_is_refused" {
  command = plan
  variables {
    health_check = { command = ["CMD-SHELL", "true"], interval = 5, timeout = 5 }
  }
  expect_failures = [var.health_check]
}
