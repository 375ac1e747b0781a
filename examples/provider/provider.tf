terraform {
  required_providers {
    scim = {
      source = "scimform/scim"
    }
  }
}

# A standards-following SCIM 2.0 app. The bearer token comes from the
# SCIM_TOKEN environment variable, so it never sits in the configuration.
provider "scim" {
  endpoint = "https://app.example.com/scim/v2"
}

# Proxy authenticates with HTTP Basic: the app key and the app secret.
provider "scim" {
  alias    = "proxy"
  endpoint = "https://proxy.example.com/scim/v2"
  profile  = "proxy"
  username = var.proxy_app_key
  password = var.proxy_app_secret

  member_batch_size   = 50
  requests_per_second = 10
  log_file            = "provisioning.jsonl"
}

variable "proxy_app_key" {
  type = string
}

variable "proxy_app_secret" {
  type      = string
  sensitive = true
}
