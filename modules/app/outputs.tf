output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_names" {
  description = "ECS service name by service key."
  value       = { for key, svc in module.service : key => svc.service_name }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix by service key, for the services behind the load balancer."
  value = {
    for key, svc in var.services : key => module.service[key].target_group_arn_suffix
    if length(svc.path_patterns) > 0
  }
}

output "log_group_names" {
  description = "CloudWatch log group by service key."
  value       = { for key, svc in module.service : key => svc.log_group_name }
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "app_url" {
  description = "Public URL of the app."
  value       = "https://${aws_route53_record.app.fqdn}"
}

output "service_discovery_namespace" {
  description = "Private DNS namespace the services register in (<service>.<namespace>)."
  value       = aws_service_discovery_private_dns_namespace.this.name
}

output "execution_role_arn" {
  description = "ARN of the ECS task execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the ECS task role."
  value       = aws_iam_role.task.arn
}
