variable "name" {
  description = "Name prefix, e.g. \"shop-prod\"."
  type        = string
}

variable "project" {
  description = "Project name."
  type        = string
}

variable "environment" {
  description = "Environment name (dev, staging, prod)."
  type        = string
}

variable "region" {
  description = "AWS region, for the awslogs log driver."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the services."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets the tasks run in."
  type        = list(string)
}

variable "ecs_security_group_id" {
  description = "Security group attached to every task."
  type        = string
}

variable "alb_arn" {
  description = "ARN of the load balancer the listeners are attached to."
  type        = string
}

variable "alb_dns_name" {
  description = "DNS name of the load balancer, target of the app alias record."
  type        = string
}

variable "alb_zone_id" {
  description = "Hosted zone ID of the load balancer, for the alias record."
  type        = string
}

variable "certificate_arn" {
  description = "ARN of the validated certificate served by the HTTPS listener."
  type        = string
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "zone_id" {
  description = "Route 53 zone the app record is created in."
  type        = string
}

variable "hostname" {
  description = "Public host name of the app, e.g. \"app.shop.example.com\"."
  type        = string
}

variable "services" {
  description = "ECS services to run, by name. A service with no path patterns is not attached to the load balancer (a worker)."
  type = map(object({
    image_tag         = string
    cpu               = number
    memory            = number
    desired_count     = number
    port              = number
    path_patterns     = list(string)
    priority          = number
    health_check_path = string
  }))
}

variable "repository_urls" {
  description = "ECR repository URL by service name."
  type        = map(string)
}

variable "db_secret_arn" {
  description = "ARN of the database secret (JSON with host, port, dbname, username, password, url)."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting the secret, the assets bucket and the database."
  type        = string
}

variable "queue_arn" {
  description = "ARN of the jobs queue."
  type        = string
}

variable "queue_url" {
  description = "URL of the jobs queue."
  type        = string
}

variable "assets_bucket_name" {
  description = "Name of the assets bucket."
  type        = string
}

variable "assets_bucket_arn" {
  description = "ARN of the assets bucket."
  type        = string
}

variable "autoscaling_enabled" {
  description = "Scale services on CPU between their desired count and four times it."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the service log groups, in days."
  type        = number
  default     = 30
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the cluster."
  type        = bool
  default     = false
}

variable "fargate_spot" {
  description = "Run the services on Fargate Spot (interruptible, cheaper)."
  type        = bool
  default     = false
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into running tasks."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
