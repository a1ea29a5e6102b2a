# Shared by every environment root (each links this file). Before modules/environment existed, each root
# called the modules itself; these addresses let a state applied from that layout plan with no changes.
# Keep them until the next layout change (tests/integration/test_environment_move.py applies the old layout).

moved {
  from = module.networking
  to   = module.environment.module.networking
}

moved {
  from = module.config_store
  to   = module.environment.module.config_store
}

moved {
  from = module.ecs_service
  to   = module.environment.module.service["trading-bot"]
}

moved {
  from = module.alarms
  to   = module.environment.module.alarms["trading-bot"]
}

moved {
  from = module.deploy_policy
  to   = module.environment.module.deploy_policy["trading-bot"]
}
