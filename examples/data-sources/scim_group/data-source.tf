data "scim_group" "support" {
  display_name = "Support"
}

output "support_member_count" {
  value = length(data.scim_group.support.members)
}
