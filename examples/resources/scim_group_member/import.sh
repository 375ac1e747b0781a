# <group_id>/<user_id>
terraform import scim_group_member.support_linus e9e30dba-f08f-4109-8486-d5c6a331660a/2819c223-7f76-453a-919d-413861904646
