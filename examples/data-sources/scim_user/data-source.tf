# By userName (case-insensitive) ...
data "scim_user" "ceo" {
  user_name = "ceo@example.com"
}

# ... or by SCIM id.
data "scim_user" "ceo_by_id" {
  id = data.scim_user.ceo.id
}

output "ceo_is_active" {
  value = data.scim_user.ceo.active
}
