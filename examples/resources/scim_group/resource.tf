resource "scim_user" "ada" {
  user_name = "ada.lovelace@example.com"
}

resource "scim_user" "grace" {
  user_name = "grace.hopper@example.com"
}

# The complete membership of "Engineering": members added elsewhere show as
# drift, and apply sends only the difference (PATCH add/remove in batches).
resource "scim_group" "engineering" {
  display_name = "Engineering"
  external_id  = "eng"
  members      = [scim_user.ada.id, scim_user.grace.id]
}

# A group whose membership this configuration leaves alone (members unset).
resource "scim_group" "all_staff" {
  display_name = "All Staff"
}
