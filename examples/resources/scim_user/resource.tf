resource "scim_user" "alice" {
  user_name    = "alice.martin@example.com"
  external_id  = "hr-1001"
  display_name = "Alice Martin"
  title        = "Engineering Manager"

  name = {
    given_name  = "Alice"
    family_name = "Martin"
  }

  emails = [
    { value = "alice.martin@example.com", type = "work", primary = true },
  ]

  department = "Engineering"

  # Destroying the resource deactivates the account (the default); "delete" removes it.
  on_destroy = "deactivate"
}
