output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_definition_arn" {
  description = "ARN of the current task definition revision."
  value       = aws_ecs_task_definition.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the service."
  value       = aws_cloudwatch_log_group.this.name
}

output "target_group_arn" {
  description = "ARN of the target group, or null for a service that is not exposed."
  value       = local.exposed ? aws_lb_target_group.this[0].arn : null
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (TargetGroup metric dimension), or null for a service that is not exposed."
  value       = local.exposed ? aws_lb_target_group.this[0].arn_suffix : null
}

output "discovery_name" {
  description = "Name of the service in service discovery."
  value       = aws_service_discovery_service.this.name
}
