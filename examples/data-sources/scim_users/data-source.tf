# Everyone whose userName is in the example.com domain ends up in one group.
data "scim_users" "example_com" {
  filter = "userName ew \"@example.com\""
}

resource "scim_group" "everyone" {
  display_name = "Everyone at example.com"
  members      = data.scim_users.example_com.ids
}
