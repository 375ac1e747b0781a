# By SCIM id
terraform import scim_user.alice 2819c223-7f76-453a-919d-413861904646

# By userName: found case-insensitively; the state keeps the spelling written here (for user_name and the
# email equal to it), so write it as the configuration does and the first plan shows no case-only change
terraform import scim_user.alice user_name=alice.martin@example.com
