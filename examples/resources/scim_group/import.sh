# By SCIM id
terraform import scim_group.engineering e9e30dba-f08f-4109-8486-d5c6a331660a

# By displayName (compared case-insensitively)
terraform import scim_group.engineering "display_name=Engineering"
