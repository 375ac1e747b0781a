# By SCIM id
terraform import scim_user.alice 2819c223-7f76-453a-919d-413861904646

# By userName (compared case-insensitively)
terraform import scim_user.alice user_name=alice.martin@example.com
