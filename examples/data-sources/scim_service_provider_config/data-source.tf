# "Test connection": fails the plan when the endpoint is unreachable or the
# credential is refused, and reports what the server supports.
data "scim_service_provider_config" "app" {}

output "app_capabilities" {
  value = {
    patch       = data.scim_service_provider_config.app.patch_supported
    bulk        = data.scim_service_provider_config.app.bulk_supported
    filter      = data.scim_service_provider_config.app.filter_supported
    max_results = data.scim_service_provider_config.app.filter_max_results
    auth        = [for s in data.scim_service_provider_config.app.authentication_schemes : s.type]
  }
}
