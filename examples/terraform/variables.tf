variable "prefix" {
  type        = string
  description = "Prefix of every resource name."
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "sku" {
  type    = string
  default = "premium"
}

variable "virtual_network_id" {
  type        = string
  description = "Resource id of the VNet the workspace is injected into."
}
