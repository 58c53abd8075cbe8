output "zone_id" {
  description = "ID of the public hosted zone."
  value       = aws_route53_zone.this.zone_id
}

output "name_servers" {
  description = "Name servers of the zone, to delegate to from the parent domain."
  value       = aws_route53_zone.this.name_servers
}

output "certificate_arn" {
  description = "ARN of the certificate, available once DNS validation has completed."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "alb_arn" {
  description = "ARN of the application load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer, the LoadBalancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone ID of the load balancer, for alias records."
  value       = aws_lb.this.zone_id
}

output "web_acl_arn" {
  description = "ARN of the WAF web ACL, or null when WAF is disabled."
  value       = var.enable_waf ? aws_wafv2_web_acl.this[0].arn : null
}
