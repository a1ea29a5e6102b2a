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
