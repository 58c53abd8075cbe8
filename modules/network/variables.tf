variable "name" {
  description = "Name prefix for every network resource, e.g. \"shop-prod\"."
  type        = string
}

variable "region" {
  description = "AWS region, used to build the S3 gateway endpoint service name."
  type        = string
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC. Subnets are carved out of it as /24s (for a /16)."
  type        = string
}

variable "azs" {
  description = "Availability zones to spread subnets over; one public and one private subnet per zone."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2
    error_message = "At least two availability zones are needed (the load balancer and the database subnet group require it)."
  }
}

variable "single_nat_gateway" {
  description = "Use one shared NAT gateway instead of one per availability zone (cheaper, not zone-redundant)."
  type        = bool
  default     = true
}

variable "app_port_range" {
  description = "Port range the load balancer may reach on ECS tasks."
  type = object({
    from = number
    to   = number
  })
  default = {
    from = 1024
    to   = 65535
  }
}

variable "db_port" {
  description = "Port of the database, opened to the ECS tasks only."
  type        = number
  default     = 5432
}

variable "alb_ingress_ports" {
  description = "Ports the public load balancer listens on."
  type        = list(number)
  default     = [80, 443]
}

variable "alb_ingress_cidrs" {
  description = "CIDR blocks allowed to reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group, in days."
  type        = number
  default     = 30
}

variable "flow_log_traffic_type" {
  description = "Traffic captured by the VPC flow log: ACCEPT, REJECT or ALL."
  type        = string
  default     = "REJECT"
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
