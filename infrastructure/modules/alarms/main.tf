data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id   = data.aws_caller_identity.current.account_id
  partition    = data.aws_partition.current.partition
  alarm_prefix = "arn:${local.partition}:cloudwatch:${data.aws_region.current.name}:${local.account_id}:alarm:${var.name}-"
  dimensions   = { ClusterName = var.cluster_name, ServiceName = var.service_name }

  # Memory and CPU alarms differ only in metric and settings.
  utilization = {
    memory-high = { metric = "MemoryUtilization", what = "memory", settings = var.memory_high }
    cpu-high    = { metric = "CPUUtilization", what = "CPU", settings = var.cpu_high }
  }
}

################################################################################
# Encryption key: the topic's messages
# https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
################################################################################

module "key" {
  source = "../kms-key"

  alias       = "${var.name}-alarms"
  description = "${var.name}: alarm notifications"
  # CloudWatch alarms and EventBridge publish to an encrypted topic only with these.
  service_grants = [{
    sid      = "AlarmSourcesPublish"
    services = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    actions  = ["kms:Decrypt", "kms:GenerateDataKey*"]
    condition = {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }]
  tags = var.tags
}

################################################################################
# Topic and subscriptions
# https://docs.aws.amazon.com/sns/latest/dg/sns-create-topic.html
################################################################################

resource "aws_sns_topic" "this" {
  name              = "${var.name}-alarms"
  kms_master_key_id = module.key.arn

  tags = var.tags
}

# Only the two publishers are named: identities of this account manage the
# topic through their IAM policies, and no other account is let in.
data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.alarm_prefix}*"]
    }
  }

  statement {
    sid       = "DeploymentEventsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.deployment.arn]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "this" {
  for_each = { for s in var.subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.this.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

################################################################################
# Service down: running tasks below desired (Container Insights)
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
################################################################################

resource "aws_cloudwatch_metric_alarm" "service_down" {
  alarm_name          = "${var.name}-service-down"
  alarm_description   = "[${var.service_down.severity}] ${var.service_name}: fewer tasks running than desired for ${var.service_down.period * var.service_down.evaluation_periods / 60} min"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = var.service_down.evaluation_periods
  datapoints_to_alarm = var.service_down.evaluation_periods
  # No metrics at all means the service (or its cluster) is gone: that is down too.
  treat_missing_data = "breaching"
  alarm_actions      = [aws_sns_topic.this.arn]
  ok_actions         = [aws_sns_topic.this.arn]

  metric_query {
    id          = "missing"
    expression  = "desired - running"
    label       = "Tasks missing"
    return_data = true
  }

  metric_query {
    id = "desired"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "DesiredTaskCount"
      dimensions  = local.dimensions
      period      = var.service_down.period
      stat        = "Maximum"
    }
  }

  metric_query {
    id = "running"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "RunningTaskCount"
      dimensions  = local.dimensions
      period      = var.service_down.period
      stat        = "Minimum"
    }
  }

  tags = merge(var.tags, { severity = var.service_down.severity })
}

################################################################################
# Memory and CPU utilization of the service
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-metrics.html
################################################################################

resource "aws_cloudwatch_metric_alarm" "utilization" {
  for_each = local.utilization

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "[${each.value.settings.severity}] ${var.service_name}: ${each.value.what} above ${each.value.settings.threshold}% for ${each.value.settings.period * each.value.settings.evaluation_periods / 60} min"
  namespace           = "AWS/ECS"
  metric_name         = each.value.metric
  dimensions          = local.dimensions
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.settings.threshold
  period              = each.value.settings.period
  evaluation_periods  = each.value.settings.evaluation_periods
  datapoints_to_alarm = each.value.settings.evaluation_periods
  treat_missing_data  = "notBreaching" # a stopped service is the service-down alarm's job
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  tags = merge(var.tags, { severity = each.value.settings.severity })
}

################################################################################
# Deployment failed (circuit breaker tripped, rollback follows when enabled)
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
################################################################################

resource "aws_cloudwatch_event_rule" "deployment" {
  name        = "${var.name}-deployment-failed"
  description = "ECS deployment of ${var.service_name} failed or was rolled back"

  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Deployment State Change"]
    resources     = [var.service_arn]
    detail        = { eventName = ["SERVICE_DEPLOYMENT_FAILED"] }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "deployment" {
  rule      = aws_cloudwatch_event_rule.deployment.name
  target_id = "alarm-topic"
  arn       = aws_sns_topic.this.arn
}
