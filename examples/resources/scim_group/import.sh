# By SCIM id
terraform import scim_group.engineering e9e30dba-f08f-4109-8486-d5c6a331660a

# By displayName (compared case-insensitively)
terraform import scim_group.engineering "display_name=Engineering"

# By SCIM id, with the members' person keys for member_ids (JSON; what ScimApp writes for an onboarded group)
terraform import scim_group.engineering '{"id":"e9e30dba-f08f-4109-8486-d5c6a331660a","member_ids":{"ada":"2819c223-7f76-453a-919d-413861904646"}}'
