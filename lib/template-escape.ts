// Terraform reads every string of a configuration (cdk.tf.json) and of an HCL variable value as a template: a
// literal `${` or `%{` in data (a person's name, a header value) must be written doubled to stay literal.

/** `text` with every `${` written `$${` and every `%{` written `%%{`. */
export function escapeTemplateSequences(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
