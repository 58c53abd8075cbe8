variable "namespace" {
  description = "Prefix of the repository names, e.g. \"shop-prod\" gives \"shop-prod/api\"."
  type        = string
}

variable "repositories" {
  description = "Names of the repositories to create under the namespace."
  type        = set(string)
}

variable "max_image_count" {
  description = "Number of images kept per repository; older ones expire."
  type        = number
  default     = 30
}

variable "untagged_image_expiry_days" {
  description = "Days after which untagged images expire."
  type        = number
  default     = 7
}

variable "force_delete" {
  description = "Allow deleting repositories that still contain images."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
