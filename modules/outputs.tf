output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "nat_public_ips" {
  description = "Egress IPs of the environment."
  value       = module.network.nat_public_ips
}

output "name_servers" {
  description = "Name servers to delegate var.domain_name to."
  value       = module.edge.name_servers
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = module.edge.alb_dns_name
}

output "app_url" {
  description = "Public URL of the app."
  value       = module.app.app_url
}

output "ecr_repository_urls" {
  description = "ECR repository URL by name, for CI to push images to."
  value       = module.registry.repository_urls
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.app.cluster_name
}

output "ecs_service_names" {
  description = "ECS service name by service key."
  value       = module.app.service_names
}

output "db_address" {
  description = "Host name of the database."
  value       = module.data.db_address
}

output "db_secret_arn" {
  description = "ARN of the secret with the database connection settings."
  value       = module.data.db_secret_arn
}

output "jobs_queue_url" {
  description = "URL of the jobs queue."
  value       = module.data.queue_url
}

output "assets_bucket" {
  description = "Name of the assets bucket."
  value       = module.data.assets_bucket_name
}

output "alerts_topic_arn" {
  description = "SNS topic receiving every alarm."
  value       = module.monitoring.alerts_topic_arn
}
