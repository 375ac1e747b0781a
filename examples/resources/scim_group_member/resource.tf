# Add one person to a group owned by someone else, without managing (or
# touching) the group's other members.
data "scim_group" "support" {
  display_name = "Support"
}

resource "scim_user" "linus" {
  user_name = "linus@example.com"
}

resource "scim_group_member" "support_linus" {
  group_id = data.scim_group.support.id
  user_id  = scim_user.linus.id
}
