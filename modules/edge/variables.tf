variable "name" {
  description = "Name prefix, e.g. \"shop-prod\". Must be at most 28 characters (load balancer names are limited to 32)."
  type        = string
}

variable "domain_name" {
  description = "DNS zone of the environment, e.g. \"shop.example.com\". The certificate covers it and its first-level subdomains."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets the load balancer is placed in."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "access_logs_bucket" {
  description = "S3 bucket receiving the load balancer access logs; its policy must already allow log delivery."
  type        = string
}

variable "access_logs_prefix" {
  description = "Key prefix of the access logs in the bucket."
  type        = string
  default     = "alb"
}

variable "idle_timeout" {
  description = "Load balancer idle timeout, in seconds."
  type        = number
  default     = 60
}

variable "deletion_protection" {
  description = "Protect the load balancer against deletion."
  type        = bool
  default     = false
}

variable "enable_waf" {
  description = "Attach a WAF web ACL (rate limiting and AWS managed rule groups) to the load balancer."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes from a single IP before it is blocked."
  type        = number
  default     = 2000
}

variable "waf_managed_rule_groups" {
  description = "AWS managed rule groups evaluated after the rate limit, in order."
  type        = list(string)
  default = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
  ]
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
