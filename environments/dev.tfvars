# Development: smallest footprint. Two AZs behind a single NAT gateway, the
# smallest database, one task per service on Fargate Spot, no autoscaling.

project     = "shopfront"
environment = "dev"
region      = "eu-west-1"
domain_name = "dev.shopfront.example.com"

vpc_cidr           = "10.10.0.0/16"
azs                = ["eu-west-1a", "eu-west-1b"]
single_nat_gateway = true

db_instance_class        = "db.t4g.micro"
db_allocated_storage     = 20
db_multi_az              = false
db_backup_retention_days = 1
deletion_protection      = false

services = {
  api = {
    image_tag         = "main-3f9c2e1"
    cpu               = 256
    memory            = 512
    desired_count     = 1
    port              = 8080
    path_patterns     = ["/api/*"]
    priority          = 100
    health_check_path = "/api/healthz"
  }
  web = {
    image_tag         = "main-3f9c2e1"
    cpu               = 256
    memory            = 512
    desired_count     = 1
    port              = 3000
    path_patterns     = ["/*"]
    priority          = 900
    health_check_path = "/healthz"
  }
}

autoscaling_enabled    = false
fargate_spot           = true
enable_execute_command = true
container_insights     = false
enable_waf             = false

log_retention_days = 7

tags = {
  CostCenter = "engineering"
}
