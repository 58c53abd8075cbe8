variable "name" {
  description = "Service name, e.g. \"api\"; also the container name and the service discovery name."
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

variable "cluster_name" {
  description = "Name of the ECS cluster the service runs in."
  type        = string
}

variable "capacity_provider" {
  description = "Capacity provider of the service: FARGATE or FARGATE_SPOT."
  type        = string
  default     = "FARGATE"
}

variable "image" {
  description = "Container image, repository URL and tag."
  type        = string
}

variable "cpu" {
  description = "Task CPU units (256, 512, 1024, ...)."
  type        = number
}

variable "memory" {
  description = "Task memory in MiB; must be valid for the CPU size on Fargate."
  type        = number
}

variable "desired_count" {
  description = "Number of tasks; the autoscaling minimum when autoscaling is enabled."
  type        = number
}

variable "port" {
  description = "Container port the application listens on."
  type        = number
}

variable "path_patterns" {
  description = "Load balancer path patterns routed to the service; empty for a service that is not exposed (a worker)."
  type        = list(string)
  default     = []
}

variable "priority" {
  description = "Priority of the listener rule; unique per listener."
  type        = number
}

variable "health_check_path" {
  description = "HTTP path of the target group health check."
  type        = string
  default     = "/healthz"
}

variable "hostname" {
  description = "Host header the listener rule matches."
  type        = string
}

variable "listener_arn" {
  description = "ARN of the HTTPS listener the rule is attached to."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the tasks."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "namespace_id" {
  description = "ID of the private DNS namespace the service registers in."
  type        = string
}

variable "execution_role_arn" {
  description = "ARN of the task execution role."
  type        = string
}

variable "task_role_arn" {
  description = "ARN of the task role."
  type        = string
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into the tasks."
  type        = bool
  default     = false
}

variable "environment_variables" {
  description = "Plain environment variables of the container."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables read from Secrets Manager, name => valueFrom (secret ARN with optional JSON key)."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of the log group, in days."
  type        = number
  default     = 30
}

variable "autoscaling_enabled" {
  description = "Scale on average CPU between desired_count and four times it."
  type        = bool
  default     = false
}

variable "autoscaling_cpu_target" {
  description = "Average CPU utilisation (percent) autoscaling aims for."
  type        = number
  default     = 60
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
