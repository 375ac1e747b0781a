# Recommended: an import block with the fixed id "roster" gives an empty roster, so the first apply is an
# update and a failed entry never taints the roster.
import {
  to = scim_roster.wiki
  id = "roster"
}

resource "scim_roster" "wiki" {
  entries = {
    "E1000" = {
      user_name    = "bob.dupont@example.com"
      external_id  = "E1000"
      display_name = "Bob Dupont"
      title        = "Engineering Manager"
    }
    "E1001" = {
      user_name    = "alice.martin@example.com"
      external_id  = "E1001"
      display_name = "Alice Martin"
      title        = "Engineer"
      name         = { given_name = "Alice", family_name = "Martin" }
      emails       = [{ value = "alice.martin@example.com", type = "work", primary = true }]
      manager      = "E1000" # the key of another entry of this roster
    }
  }
}
