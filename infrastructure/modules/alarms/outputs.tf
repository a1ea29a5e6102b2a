output "topic_arn" {
  description = "ARN of the SNS topic every alarm and deployment event notifies."
  value       = aws_sns_topic.this.arn
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms, by role (service_down, memory_high, cpu_high)."
  value = {
    service_down = aws_cloudwatch_metric_alarm.service_down.alarm_name
    memory_high  = aws_cloudwatch_metric_alarm.utilization["memory-high"].alarm_name
    cpu_high     = aws_cloudwatch_metric_alarm.utilization["cpu-high"].alarm_name
  }
}

output "deployment_rule_name" {
  description = "Name of the EventBridge rule that forwards failed deployments to the topic."
  value       = aws_cloudwatch_event_rule.deployment.name
}

output "alarms" {
  description = "Each alarm as configured, by role: threshold, comparison, period, evaluation periods, minutes, severity, description, actions."
  value = merge(
    {
      service_down = {
        metric              = "DesiredTaskCount - RunningTaskCount"
        expression          = one([for q in aws_cloudwatch_metric_alarm.service_down.metric_query : q.expression if q.return_data == true])
        threshold           = aws_cloudwatch_metric_alarm.service_down.threshold
        comparison_operator = aws_cloudwatch_metric_alarm.service_down.comparison_operator
        period              = one([for q in aws_cloudwatch_metric_alarm.service_down.metric_query : q.metric[0].period if q.id == "running"])
        evaluation_periods  = aws_cloudwatch_metric_alarm.service_down.evaluation_periods
        severity            = aws_cloudwatch_metric_alarm.service_down.tags["severity"]
        description         = aws_cloudwatch_metric_alarm.service_down.alarm_description
        alarm_actions       = aws_cloudwatch_metric_alarm.service_down.alarm_actions
      }
    },
    {
      for key, alarm in aws_cloudwatch_metric_alarm.utilization : replace(key, "-", "_") => {
        metric              = alarm.metric_name
        expression          = null
        threshold           = alarm.threshold
        comparison_operator = alarm.comparison_operator
        period              = alarm.period
        evaluation_periods  = alarm.evaluation_periods
        severity            = alarm.tags["severity"]
        description         = alarm.alarm_description
        alarm_actions       = alarm.alarm_actions
      }
    },
  )
}

output "deployment_rule" {
  description = "The EventBridge rule for failed deployments: its event pattern (decoded) and the target it notifies."
  value = {
    event_pattern = jsondecode(aws_cloudwatch_event_rule.deployment.event_pattern)
    target_arn    = aws_cloudwatch_event_target.deployment.arn
  }
}
