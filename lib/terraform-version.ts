// The Terraform versions scimform supports, stated once: the floor is 1.10 (ephemeral input variables, which
// keep credentials out of saved plans, are new in 1.10); the tests and the bench run 1.11. Error messages and
// the README quote these values (test/repo/structure.test.ts checks the README; test/cli/terraform-runner.test.ts
// checks that the terraform the tests run is the tested one).
export const TERRAFORM_FLOOR = '1.10';
export const TERRAFORM_TESTED = '1.11';
/** "Terraform ≥ 1.10 (tested with 1.11)" */
export const TERRAFORM_RANGE = `Terraform ≥ ${TERRAFORM_FLOOR} (tested with ${TERRAFORM_TESTED})`;
