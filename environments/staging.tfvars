# Staging: production-like topology at a smaller size. Two AZs and one NAT
# gateway, a small database, the worker included, autoscaling on so scaling
# policies are exercised before production.

project     = "shopfront"
environment = "staging"
region      = "eu-west-1"
domain_name = "staging.shopfront.example.com"

vpc_cidr           = "10.20.0.0/16"
azs                = ["eu-west-1a", "eu-west-1b"]
single_nat_gateway = true

db_instance_class        = "db.t4g.small"
db_allocated_storage     = 50
db_multi_az              = false
db_backup_retention_days = 7
deletion_protection      = false

services = {
  api = {
    image_tag         = "v1.14.0-rc.2"
    cpu               = 512
    memory            = 1024
    desired_count     = 1
    port              = 8080
    path_patterns     = ["/api/*"]
    priority          = 100
    health_check_path = "/api/healthz"
  }
  web = {
    image_tag         = "v1.14.0-rc.2"
    cpu               = 256
    memory            = 512
    desired_count     = 1
    port              = 3000
    path_patterns     = ["/*"]
    priority          = 900
    health_check_path = "/healthz"
  }
  worker = {
    image_tag         = "v1.14.0-rc.2"
    cpu               = 256
    memory            = 512
    desired_count     = 1
    port              = 8080
    path_patterns     = []
    priority          = 0
    health_check_path = "/healthz"
  }
}

extra_ecr_repositories = ["migrations"]

autoscaling_enabled    = true
fargate_spot           = false
enable_execute_command = true
container_insights     = false
enable_waf             = true

log_retention_days = 30
alarm_email        = "platform-alerts@shopfront.example.com"

tags = {
  CostCenter = "engineering"
}
