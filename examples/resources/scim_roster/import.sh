# The only import id is "roster": it gives an empty roster; the next apply adopts or creates its entries.
# Prefer an import block (see resource.tf) so that the import and the first apply are one reviewed plan.
terraform import scim_roster.wiki roster
